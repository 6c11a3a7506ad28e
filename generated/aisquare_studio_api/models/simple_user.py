from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import DocumentError

T = TypeVar("T", bound="SimpleUser")

# The JSON keys of the schema's properties; any other key goes to additional_properties.
_FIELDS = frozenset(
    {
        "id",
        "email",
        "full_name",
        "username",
        "is_verified",
        "profile_picture",
    }
)


@_attrs_define
class SimpleUser:
    """Simple user serializer with profile picture from associated IAMUserDetail.

    Fields:
    - id, email, full_name, username, is_verified (from IAMUser)
    - profile_picture (from first related IAMUserDetail if present)

        Attributes:
            id (int):
            email (str):
            full_name (str):
            username (str): Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.
            is_verified (bool):
            profile_picture (str): Convert ImageFieldFile to URL string for JSON serialization.

                Args:
                    obj: The model instance being serialized (typically IAMUser)

                Returns:
                    str | None: The URL of the profile picture, or None if not available
    """

    id: int
    email: str
    full_name: str
    username: str
    is_verified: bool
    profile_picture: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        email = self.email

        full_name = self.full_name

        username = self.username

        is_verified = self.is_verified

        profile_picture = self.profile_picture

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "email": email,
                "full_name": full_name,
                "username": username,
                "is_verified": is_verified,
                "profile_picture": profile_picture,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Build from a decoded JSON object; raise DocumentError, naming the value, when it does
        not fit the schema (a missing field, a null or a value of the wrong JSON type)."""
        if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
            raise DocumentError.expected("an object", src_dict)
        try:
            id = src_dict["id"]
            if type(id) is not int:
                raise DocumentError.expected("an integer", id, "id")

            email = src_dict["email"]
            if type(email) is not str:
                raise DocumentError.expected("a string", email, "email")

            full_name = src_dict["full_name"]
            if type(full_name) is not str:
                raise DocumentError.expected("a string", full_name, "full_name")

            username = src_dict["username"]
            if type(username) is not str:
                raise DocumentError.expected("a string", username, "username")

            is_verified = src_dict["is_verified"]
            if type(is_verified) is not bool:
                raise DocumentError.expected("a boolean", is_verified, "is_verified")

            profile_picture = src_dict["profile_picture"]
            if type(profile_picture) is not str:
                raise DocumentError.expected(
                    "a string", profile_picture, "profile_picture"
                )

            # Positional, in the order the fields are declared above: half the cost of keywords.
            simple_user = cls(
                id,
                email,
                full_name,
                username,
                is_verified,
                profile_picture,
            )
            # Unknown keys are kept (and sent back by to_dict); most documents have none.
            if _FIELDS.issuperset(src_dict):
                simple_user.additional_properties = {}
            else:
                simple_user.additional_properties = {
                    key: value for key, value in src_dict.items() if key not in _FIELDS
                }
        except KeyError as error:  # only a required field's lookup raises it here
            raise DocumentError(error.args[0], "required field is missing") from None
        except RecursionError:
            raise DocumentError.nested_too_deeply() from None
        return simple_user

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
