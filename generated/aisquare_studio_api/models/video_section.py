from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.global_creation_status_enum import GlobalCreationStatusEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="VideoSection")


@_attrs_define
class VideoSection:
    """
    Attributes:
        id (int):
        uid (UUID):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        order (int):
        content (Any): Script content for this section (list of turns)
        video (int):
        deleted_at (datetime.datetime | None | Unset):
        is_active (bool | Unset):
        created_by (None | str | Unset):
        updated_by (None | str | Unset):
        deleted_by (None | str | Unset):
        alignment_data (Any | Unset): Any type
        audio_ready (bool | Unset):
        visuals_ready (bool | Unset):
        is_assembling (bool | Unset):
        title (None | str | Unset):
        duration (int | Unset): Duration in seconds
        video_file (None | str | Unset):
        audio_file (None | str | Unset):
        thumbnail (None | str | Unset):
        section_summary (None | str | Unset): Summary of the section content (User Facing)
        internal_notes (None | str | Unset): Detailed internal notes for content generation
        page_numbers (None | str | Unset): Page numbers from source documents
        status (GlobalCreationStatusEnum | Unset): * `not_started` - Not Started
            * `in_progress` - In Progress
            * `completed` - Completed
            * `failed` - Failed
        rag_documents (list[int] | Unset):
    """

    id: int
    uid: UUID
    created_at: datetime.datetime
    updated_at: datetime.datetime
    order: int
    content: Any
    video: int
    deleted_at: datetime.datetime | None | Unset = UNSET
    is_active: bool | Unset = UNSET
    created_by: None | str | Unset = UNSET
    updated_by: None | str | Unset = UNSET
    deleted_by: None | str | Unset = UNSET
    alignment_data: Any | Unset = UNSET
    audio_ready: bool | Unset = UNSET
    visuals_ready: bool | Unset = UNSET
    is_assembling: bool | Unset = UNSET
    title: None | str | Unset = UNSET
    duration: int | Unset = UNSET
    video_file: None | str | Unset = UNSET
    audio_file: None | str | Unset = UNSET
    thumbnail: None | str | Unset = UNSET
    section_summary: None | str | Unset = UNSET
    internal_notes: None | str | Unset = UNSET
    page_numbers: None | str | Unset = UNSET
    status: GlobalCreationStatusEnum | Unset = UNSET
    rag_documents: list[int] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        uid = str(self.uid)

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        order = self.order

        content = self.content

        video = self.video

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

        alignment_data = self.alignment_data

        audio_ready = self.audio_ready

        visuals_ready = self.visuals_ready

        is_assembling = self.is_assembling

        title: None | str | Unset
        if isinstance(self.title, Unset):
            title = UNSET
        else:
            title = self.title

        duration = self.duration

        video_file: None | str | Unset
        if isinstance(self.video_file, Unset):
            video_file = UNSET
        else:
            video_file = self.video_file

        audio_file: None | str | Unset
        if isinstance(self.audio_file, Unset):
            audio_file = UNSET
        else:
            audio_file = self.audio_file

        thumbnail: None | str | Unset
        if isinstance(self.thumbnail, Unset):
            thumbnail = UNSET
        else:
            thumbnail = self.thumbnail

        section_summary: None | str | Unset
        if isinstance(self.section_summary, Unset):
            section_summary = UNSET
        else:
            section_summary = self.section_summary

        internal_notes: None | str | Unset
        if isinstance(self.internal_notes, Unset):
            internal_notes = UNSET
        else:
            internal_notes = self.internal_notes

        page_numbers: None | str | Unset
        if isinstance(self.page_numbers, Unset):
            page_numbers = UNSET
        else:
            page_numbers = self.page_numbers

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        rag_documents: list[int] | Unset = UNSET
        if not isinstance(self.rag_documents, Unset):
            rag_documents = self.rag_documents

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "uid": uid,
                "created_at": created_at,
                "updated_at": updated_at,
                "order": order,
                "content": content,
                "video": video,
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
        if alignment_data is not UNSET:
            field_dict["alignment_data"] = alignment_data
        if audio_ready is not UNSET:
            field_dict["audio_ready"] = audio_ready
        if visuals_ready is not UNSET:
            field_dict["visuals_ready"] = visuals_ready
        if is_assembling is not UNSET:
            field_dict["is_assembling"] = is_assembling
        if title is not UNSET:
            field_dict["title"] = title
        if duration is not UNSET:
            field_dict["duration"] = duration
        if video_file is not UNSET:
            field_dict["video_file"] = video_file
        if audio_file is not UNSET:
            field_dict["audio_file"] = audio_file
        if thumbnail is not UNSET:
            field_dict["thumbnail"] = thumbnail
        if section_summary is not UNSET:
            field_dict["section_summary"] = section_summary
        if internal_notes is not UNSET:
            field_dict["internal_notes"] = internal_notes
        if page_numbers is not UNSET:
            field_dict["page_numbers"] = page_numbers
        if status is not UNSET:
            field_dict["status"] = status
        if rag_documents is not UNSET:
            field_dict["rag_documents"] = rag_documents

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        uid = UUID(d.pop("uid"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        order = d.pop("order")

        content = d.pop("content")

        video = d.pop("video")

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

        alignment_data = d.pop("alignment_data", UNSET)

        audio_ready = d.pop("audio_ready", UNSET)

        visuals_ready = d.pop("visuals_ready", UNSET)

        is_assembling = d.pop("is_assembling", UNSET)

        def _parse_title(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        title = _parse_title(d.pop("title", UNSET))

        duration = d.pop("duration", UNSET)

        def _parse_video_file(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        video_file = _parse_video_file(d.pop("video_file", UNSET))

        def _parse_audio_file(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        audio_file = _parse_audio_file(d.pop("audio_file", UNSET))

        def _parse_thumbnail(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        thumbnail = _parse_thumbnail(d.pop("thumbnail", UNSET))

        def _parse_section_summary(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        section_summary = _parse_section_summary(d.pop("section_summary", UNSET))

        def _parse_internal_notes(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        internal_notes = _parse_internal_notes(d.pop("internal_notes", UNSET))

        def _parse_page_numbers(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        page_numbers = _parse_page_numbers(d.pop("page_numbers", UNSET))

        _status = d.pop("status", UNSET)
        status: GlobalCreationStatusEnum | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = GlobalCreationStatusEnum(_status)

        rag_documents = cast(list[int], d.pop("rag_documents", UNSET))

        video_section = cls(
            id=id,
            uid=uid,
            created_at=created_at,
            updated_at=updated_at,
            order=order,
            content=content,
            video=video,
            deleted_at=deleted_at,
            is_active=is_active,
            created_by=created_by,
            updated_by=updated_by,
            deleted_by=deleted_by,
            alignment_data=alignment_data,
            audio_ready=audio_ready,
            visuals_ready=visuals_ready,
            is_assembling=is_assembling,
            title=title,
            duration=duration,
            video_file=video_file,
            audio_file=audio_file,
            thumbnail=thumbnail,
            section_summary=section_summary,
            internal_notes=internal_notes,
            page_numbers=page_numbers,
            status=status,
            rag_documents=rag_documents,
        )

        video_section.additional_properties = d
        return video_section

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
