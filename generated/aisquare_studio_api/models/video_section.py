from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.global_creation_status_enum import GlobalCreationStatusEnum
from ..types import UNSET, DocumentError, Unset, parse_datetime, parse_uuid

T = TypeVar("T", bound="VideoSection")

# The JSON keys of the schema's properties; any other key goes to additional_properties.
_FIELDS = frozenset(
    {
        "id",
        "uid",
        "created_at",
        "updated_at",
        "order",
        "content",
        "video",
        "deleted_at",
        "is_active",
        "created_by",
        "updated_by",
        "deleted_by",
        "alignment_data",
        "audio_ready",
        "visuals_ready",
        "is_assembling",
        "title",
        "duration",
        "video_file",
        "audio_file",
        "thumbnail",
        "section_summary",
        "internal_notes",
        "page_numbers",
        "status",
        "rag_documents",
    }
)


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
            order = src_dict["order"]
            if type(order) is not int:
                raise DocumentError.expected("an integer", order, "order")

            content = src_dict["content"]
            video = src_dict["video"]
            if type(video) is not int:
                raise DocumentError.expected("an integer", video, "video")

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

            alignment_data = src_dict.get("alignment_data", UNSET)
            audio_ready = src_dict.get("audio_ready", UNSET)
            if audio_ready is not UNSET:
                if type(audio_ready) is not bool:
                    raise DocumentError.expected(
                        "a boolean", audio_ready, "audio_ready"
                    )

            visuals_ready = src_dict.get("visuals_ready", UNSET)
            if visuals_ready is not UNSET:
                if type(visuals_ready) is not bool:
                    raise DocumentError.expected(
                        "a boolean", visuals_ready, "visuals_ready"
                    )

            is_assembling = src_dict.get("is_assembling", UNSET)
            if is_assembling is not UNSET:
                if type(is_assembling) is not bool:
                    raise DocumentError.expected(
                        "a boolean", is_assembling, "is_assembling"
                    )

            title = src_dict.get("title", UNSET)
            if title is not UNSET and title is not None:
                if type(title) is not str:
                    raise DocumentError.expected("a string", title, "title")

            duration = src_dict.get("duration", UNSET)
            if duration is not UNSET:
                if type(duration) is not int:
                    raise DocumentError.expected("an integer", duration, "duration")

            video_file = src_dict.get("video_file", UNSET)
            if video_file is not UNSET and video_file is not None:
                if type(video_file) is not str:
                    raise DocumentError.expected("a string", video_file, "video_file")

            audio_file = src_dict.get("audio_file", UNSET)
            if audio_file is not UNSET and audio_file is not None:
                if type(audio_file) is not str:
                    raise DocumentError.expected("a string", audio_file, "audio_file")

            thumbnail = src_dict.get("thumbnail", UNSET)
            if thumbnail is not UNSET and thumbnail is not None:
                if type(thumbnail) is not str:
                    raise DocumentError.expected("a string", thumbnail, "thumbnail")

            section_summary = src_dict.get("section_summary", UNSET)
            if section_summary is not UNSET and section_summary is not None:
                if type(section_summary) is not str:
                    raise DocumentError.expected(
                        "a string", section_summary, "section_summary"
                    )

            internal_notes = src_dict.get("internal_notes", UNSET)
            if internal_notes is not UNSET and internal_notes is not None:
                if type(internal_notes) is not str:
                    raise DocumentError.expected(
                        "a string", internal_notes, "internal_notes"
                    )

            page_numbers = src_dict.get("page_numbers", UNSET)
            if page_numbers is not UNSET and page_numbers is not None:
                if type(page_numbers) is not str:
                    raise DocumentError.expected(
                        "a string", page_numbers, "page_numbers"
                    )

            status = src_dict.get("status", UNSET)
            if status is not UNSET:
                # The member map first: calling an enum class is several times slower than a dict lookup.
                try:
                    status = GlobalCreationStatusEnum._value2member_map_.get(
                        status
                    ) or GlobalCreationStatusEnum(status)
                except (
                    TypeError,
                    ValueError,
                ):  # not a string: the enum keeps any string
                    what = (
                        "a GlobalCreationStatusEnum string"
                        if status is None
                        else "a string"
                    )
                    raise DocumentError.expected(what, status, "status") from None
            rag_documents = src_dict.get("rag_documents", UNSET)
            if rag_documents is not UNSET:
                if type(rag_documents) is not list:
                    raise DocumentError.expected(
                        "a list", rag_documents, "rag_documents"
                    )
                try:
                    for item_0 in rag_documents:
                        if type(item_0) is not int:
                            raise DocumentError.expected("an integer", item_0)
                except DocumentError as error:
                    # The first item that is the failing object is the failing item: the check is by type.
                    index = next(i for i, x in enumerate(rag_documents) if x is item_0)
                    raise error.within(index).within("rag_documents") from None

            # Positional, in the order the fields are declared above: half the cost of keywords.
            video_section = cls(
                id,
                uid,
                created_at,
                updated_at,
                order,
                content,
                video,
                deleted_at,
                is_active,
                created_by,
                updated_by,
                deleted_by,
                alignment_data,
                audio_ready,
                visuals_ready,
                is_assembling,
                title,
                duration,
                video_file,
                audio_file,
                thumbnail,
                section_summary,
                internal_notes,
                page_numbers,
                status,
                rag_documents,
            )
            # Unknown keys are kept (and sent back by to_dict); most documents have none.
            if _FIELDS.issuperset(src_dict):
                video_section.additional_properties = {}
            else:
                video_section.additional_properties = {
                    key: value for key, value in src_dict.items() if key not in _FIELDS
                }
        except KeyError as error:  # only a required field's lookup raises it here
            raise DocumentError(error.args[0], "required field is missing") from None
        except RecursionError:
            raise DocumentError.nested_too_deeply() from None
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
