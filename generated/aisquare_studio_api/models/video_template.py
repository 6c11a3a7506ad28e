from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, DocumentError, Unset, parse_datetime, parse_uuid

T = TypeVar("T", bound="VideoTemplate")

# The JSON keys of the schema's properties; any other key goes to additional_properties.
_FIELDS = frozenset(
    {
        "id",
        "uid",
        "created_at",
        "updated_at",
        "name",
        "deleted_at",
        "is_active",
        "created_by",
        "updated_by",
        "deleted_by",
        "description",
        "thumbnail",
        "preview_video_url",
        "voices",
    }
)


@_attrs_define
class VideoTemplate:
    """
    Attributes:
        id (int):
        uid (UUID):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        name (str):
        deleted_at (datetime.datetime | None | Unset):
        is_active (bool | Unset):
        created_by (None | str | Unset):
        updated_by (None | str | Unset):
        deleted_by (None | str | Unset):
        description (None | str | Unset):
        thumbnail (None | str | Unset):
        preview_video_url (None | str | Unset):
        voices (list[int] | Unset):
    """

    id: int
    uid: UUID
    created_at: datetime.datetime
    updated_at: datetime.datetime
    name: str
    deleted_at: datetime.datetime | None | Unset = UNSET
    is_active: bool | Unset = UNSET
    created_by: None | str | Unset = UNSET
    updated_by: None | str | Unset = UNSET
    deleted_by: None | str | Unset = UNSET
    description: None | str | Unset = UNSET
    thumbnail: None | str | Unset = UNSET
    preview_video_url: None | str | Unset = UNSET
    voices: list[int] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        uid = str(self.uid)

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        name = self.name

        deleted_at: None | str | Unset
        if isinstance(self.deleted_at, Unset):
            deleted_at = UNSET
        elif isinstance(self.deleted_at, datetime.datetime):
            deleted_at = self.deleted_at.isoformat()
        else:
            deleted_at = self.deleted_at

        is_active = self.is_active

        created_by: None | str | Unset
        if isinstance(self.created_by, Unset):
            created_by = UNSET
        else:
            created_by = self.created_by

        updated_by: None | str | Unset
        if isinstance(self.updated_by, Unset):
            updated_by = UNSET
        else:
            updated_by = self.updated_by

        deleted_by: None | str | Unset
        if isinstance(self.deleted_by, Unset):
            deleted_by = UNSET
        else:
            deleted_by = self.deleted_by

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        thumbnail: None | str | Unset
        if isinstance(self.thumbnail, Unset):
            thumbnail = UNSET
        else:
            thumbnail = self.thumbnail

        preview_video_url: None | str | Unset
        if isinstance(self.preview_video_url, Unset):
            preview_video_url = UNSET
        else:
            preview_video_url = self.preview_video_url

        voices: list[int] | Unset = UNSET
        if not isinstance(self.voices, Unset):
            voices = self.voices

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "uid": uid,
                "created_at": created_at,
                "updated_at": updated_at,
                "name": name,
            }
        )
        if deleted_at is not UNSET:
            field_dict["deleted_at"] = deleted_at
        if is_active is not UNSET:
            field_dict["is_active"] = is_active
        if created_by is not UNSET:
            field_dict["created_by"] = created_by
        if updated_by is not UNSET:
            field_dict["updated_by"] = updated_by
        if deleted_by is not UNSET:
            field_dict["deleted_by"] = deleted_by
        if description is not UNSET:
            field_dict["description"] = description
        if thumbnail is not UNSET:
            field_dict["thumbnail"] = thumbnail
        if preview_video_url is not UNSET:
            field_dict["preview_video_url"] = preview_video_url
        if voices is not UNSET:
            field_dict["voices"] = voices

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

            uid = src_dict["uid"]
            try:
                uid = parse_uuid(uid)
            except (TypeError, ValueError, AttributeError):
                raise DocumentError.expected(
                    "a UUID string", uid, "uid", text=True
                ) from None
            created_at = src_dict["created_at"]
            try:
                created_at = parse_datetime(created_at)
            except (TypeError, ValueError, AttributeError):
                raise DocumentError.expected(
                    "an ISO 8601 date-time", created_at, "created_at", text=True
                ) from None
            updated_at = src_dict["updated_at"]
            try:
                updated_at = parse_datetime(updated_at)
            except (TypeError, ValueError, AttributeError):
                raise DocumentError.expected(
                    "an ISO 8601 date-time", updated_at, "updated_at", text=True
                ) from None
            name = src_dict["name"]
            if type(name) is not str:
                raise DocumentError.expected("a string", name, "name")

            deleted_at = src_dict.get("deleted_at", UNSET)
            if deleted_at is not UNSET and deleted_at is not None:
                try:
                    deleted_at = parse_datetime(deleted_at)
                except (TypeError, ValueError, AttributeError):
                    raise DocumentError.expected(
                        "an ISO 8601 date-time", deleted_at, "deleted_at", text=True
                    ) from None

            is_active = src_dict.get("is_active", UNSET)
            if is_active is not UNSET:
                if type(is_active) is not bool:
                    raise DocumentError.expected("a boolean", is_active, "is_active")

            created_by = src_dict.get("created_by", UNSET)
            if created_by is not UNSET and created_by is not None:
                if type(created_by) is not str:
                    raise DocumentError.expected("a string", created_by, "created_by")

            updated_by = src_dict.get("updated_by", UNSET)
            if updated_by is not UNSET and updated_by is not None:
                if type(updated_by) is not str:
                    raise DocumentError.expected("a string", updated_by, "updated_by")

            deleted_by = src_dict.get("deleted_by", UNSET)
            if deleted_by is not UNSET and deleted_by is not None:
                if type(deleted_by) is not str:
                    raise DocumentError.expected("a string", deleted_by, "deleted_by")

            description = src_dict.get("description", UNSET)
            if description is not UNSET and description is not None:
                if type(description) is not str:
                    raise DocumentError.expected("a string", description, "description")

            thumbnail = src_dict.get("thumbnail", UNSET)
            if thumbnail is not UNSET and thumbnail is not None:
                if type(thumbnail) is not str:
                    raise DocumentError.expected("a string", thumbnail, "thumbnail")

            preview_video_url = src_dict.get("preview_video_url", UNSET)
            if preview_video_url is not UNSET and preview_video_url is not None:
                if type(preview_video_url) is not str:
                    raise DocumentError.expected(
                        "a string", preview_video_url, "preview_video_url"
                    )

            voices = src_dict.get("voices", UNSET)
            if voices is not UNSET:
                if type(voices) is not list:
                    raise DocumentError.expected("a list", voices, "voices")
                try:
                    for item_0 in voices:
                        if type(item_0) is not int:
                            raise DocumentError.expected("an integer", item_0)
                except DocumentError as error:
                    # The first item that is the failing object is the failing item: the check is by type.
                    index = next(i for i, x in enumerate(voices) if x is item_0)
                    raise error.within(index).within("voices") from None

            # Positional, in the order the fields are declared above: half the cost of keywords.
            video_template = cls(
                id,
                uid,
                created_at,
                updated_at,
                name,
                deleted_at,
                is_active,
                created_by,
                updated_by,
                deleted_by,
                description,
                thumbnail,
                preview_video_url,
                voices,
            )
            # Unknown keys are kept (and sent back by to_dict); most documents have none.
            if _FIELDS.issuperset(src_dict):
                video_template.additional_properties = {}
            else:
                video_template.additional_properties = {
                    key: value for key, value in src_dict.items() if key not in _FIELDS
                }
        except KeyError as error:  # only a required field's lookup raises it here
            raise DocumentError(error.args[0], "required field is missing") from None
        except RecursionError:
            raise DocumentError.nested_too_deeply() from None
        return video_template

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
