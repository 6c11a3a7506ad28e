from enum import StrEnum
from typing import Self


class GlobalVisibilityEnum(StrEnum):
    ORG = "org"
    PRIVATE = "private"
    PUBLIC = "public"
    TEAM = "team"

    @classmethod
    def _missing_(cls, value: object) -> Self | None:
        """Keep a value the spec does not list yet instead of failing the whole response.

        The server may add enum values before this package is regenerated. The unknown value
        becomes a pseudo-member that compares equal to its string and round-trips through
        ``to_dict()``. It is not cached, so hostile input cannot grow the enum.
        """
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = value
        member._value_ = value
        return member

    def __str__(self) -> str:
        return str(self.value)
