from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="SimpleUser")


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
        d = dict(src_dict)
        id = d.pop("id")

        email = d.pop("email")

        full_name = d.pop("full_name")

        username = d.pop("username")

        is_verified = d.pop("is_verified")

        profile_picture = d.pop("profile_picture")

        simple_user = cls(
            id=id,
            email=email,
            full_name=full_name,
            username=username,
            is_verified=is_verified,
            profile_picture=profile_picture,
        )

        simple_user.additional_properties = d
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
