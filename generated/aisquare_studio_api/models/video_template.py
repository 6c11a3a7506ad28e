from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="VideoTemplate")


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
        d = dict(src_dict)
        id = d.pop("id")

        uid = UUID(d.pop("uid"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        name = d.pop("name")

        def _parse_deleted_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                deleted_at_type_0 = datetime.datetime.fromisoformat(data)

                return deleted_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        deleted_at = _parse_deleted_at(d.pop("deleted_at", UNSET))

        is_active = d.pop("is_active", UNSET)

        def _parse_created_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        created_by = _parse_created_by(d.pop("created_by", UNSET))

        def _parse_updated_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        updated_by = _parse_updated_by(d.pop("updated_by", UNSET))

        def _parse_deleted_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        deleted_by = _parse_deleted_by(d.pop("deleted_by", UNSET))

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_thumbnail(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        thumbnail = _parse_thumbnail(d.pop("thumbnail", UNSET))

        def _parse_preview_video_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        preview_video_url = _parse_preview_video_url(d.pop("preview_video_url", UNSET))

        voices = cast(list[int], d.pop("voices", UNSET))

        video_template = cls(
            id=id,
            uid=uid,
            created_at=created_at,
            updated_at=updated_at,
            name=name,
            deleted_at=deleted_at,
            is_active=is_active,
            created_by=created_by,
            updated_by=updated_by,
            deleted_by=deleted_by,
            description=description,
            thumbnail=thumbnail,
            preview_video_url=preview_video_url,
            voices=voices,
        )

        video_template.additional_properties = d
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
