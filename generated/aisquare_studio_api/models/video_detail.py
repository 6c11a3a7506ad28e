from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.global_creation_status_enum import GlobalCreationStatusEnum
from ..models.global_visibility_enum import GlobalVisibilityEnum
from ..models.internal_status_enum import InternalStatusEnum
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.simple_user import SimpleUser
    from ..models.video_section import VideoSection
    from ..models.video_template import VideoTemplate


T = TypeVar("T", bound="VideoDetail")


@_attrs_define
class VideoDetail:
    """
    Attributes:
        id (int):
        sections (list[VideoSection]):
        template (VideoTemplate):
        video (str):
        owner (SimpleUser): Simple user serializer with profile picture from associated IAMUserDetail.

            Fields:
            - id, email, full_name, username, is_verified (from IAMUser)
            - profile_picture (from first related IAMUserDetail if present)
        owner_username (str):
        metrics (str):
        tag_names (list[str]):
        category_name (str):
        subcategory_name (str):
        custom_url (str):
        uid (UUID):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        title (str):
        workspace (int):
        deleted_at (datetime.datetime | None | Unset):
        is_active (bool | Unset):
        created_by (None | str | Unset):
        updated_by (None | str | Unset):
        deleted_by (None | str | Unset):
        description (None | str | Unset):
        cover_image (None | str | Unset):
        thumbnail (None | str | Unset): Thumbnail image, also used as logo
        generated_script (None | str | Unset):
        generation_progress (int | Unset): Progress percentage (0-100)
        status (GlobalCreationStatusEnum | Unset): * `not_started` - Not Started
            * `in_progress` - In Progress
            * `completed` - Completed
            * `failed` - Failed
        internal_status (InternalStatusEnum | Unset): * `planning` - Planning Structure
            * `scripting` - Scripting & Visual Direction
            * `audio_sync` - Audio Generation & Sync
            * `visuals` - Visual Asset Generation
            * `rendering` - Section Rendering
            * `merging` - Final Assembly
            * `completed` - Success
            * `failed` - Error
        is_regenerating (bool | Unset):
        duration (int | None | Unset): Duration in seconds
        visibility (GlobalVisibilityEnum | Unset): * `public` - Public
            * `private` - Private
            * `team` - Team
            * `org` - Organization
        is_draft (bool | Unset): Whether this video is a draft
        plan (Any | None | Unset): The video plan structure (sections, timings, prompts)
        source_experience (int | None | Unset):
        category (int | None | Unset):
        subcategory (int | None | Unset):
        tags (list[int] | Unset):
    """

    id: int
    sections: list[VideoSection]
    template: VideoTemplate
    video: str
    owner: SimpleUser
    owner_username: str
    metrics: str
    tag_names: list[str]
    category_name: str
    subcategory_name: str
    custom_url: str
    uid: UUID
    created_at: datetime.datetime
    updated_at: datetime.datetime
    title: str
    workspace: int
    deleted_at: datetime.datetime | None | Unset = UNSET
    is_active: bool | Unset = UNSET
    created_by: None | str | Unset = UNSET
    updated_by: None | str | Unset = UNSET
    deleted_by: None | str | Unset = UNSET
    description: None | str | Unset = UNSET
    cover_image: None | str | Unset = UNSET
    thumbnail: None | str | Unset = UNSET
    generated_script: None | str | Unset = UNSET
    generation_progress: int | Unset = UNSET
    status: GlobalCreationStatusEnum | Unset = UNSET
    internal_status: InternalStatusEnum | Unset = UNSET
    is_regenerating: bool | Unset = UNSET
    duration: int | None | Unset = UNSET
    visibility: GlobalVisibilityEnum | Unset = UNSET
    is_draft: bool | Unset = UNSET
    plan: Any | None | Unset = UNSET
    source_experience: int | None | Unset = UNSET
    category: int | None | Unset = UNSET
    subcategory: int | None | Unset = UNSET
    tags: list[int] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        sections = []
        for sections_item_data in self.sections:
            sections_item = sections_item_data.to_dict()
            sections.append(sections_item)

        template = self.template.to_dict()

        video = self.video

        owner = self.owner.to_dict()

        owner_username = self.owner_username

        metrics = self.metrics

        tag_names = self.tag_names

        category_name = self.category_name

        subcategory_name = self.subcategory_name

        custom_url = self.custom_url

        uid = str(self.uid)

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        title = self.title

        workspace = self.workspace

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

        cover_image: None | str | Unset
        if isinstance(self.cover_image, Unset):
            cover_image = UNSET
        else:
            cover_image = self.cover_image

        thumbnail: None | str | Unset
        if isinstance(self.thumbnail, Unset):
            thumbnail = UNSET
        else:
            thumbnail = self.thumbnail

        generated_script: None | str | Unset
        if isinstance(self.generated_script, Unset):
            generated_script = UNSET
        else:
            generated_script = self.generated_script

        generation_progress = self.generation_progress

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        internal_status: str | Unset = UNSET
        if not isinstance(self.internal_status, Unset):
            internal_status = self.internal_status.value

        is_regenerating = self.is_regenerating

        duration: int | None | Unset
        if isinstance(self.duration, Unset):
            duration = UNSET
        else:
            duration = self.duration

        visibility: str | Unset = UNSET
        if not isinstance(self.visibility, Unset):
            visibility = self.visibility.value

        is_draft = self.is_draft

        plan: Any | None | Unset
        if isinstance(self.plan, Unset):
            plan = UNSET
        else:
            plan = self.plan

        source_experience: int | None | Unset
        if isinstance(self.source_experience, Unset):
            source_experience = UNSET
        else:
            source_experience = self.source_experience

        category: int | None | Unset
        if isinstance(self.category, Unset):
            category = UNSET
        else:
            category = self.category

        subcategory: int | None | Unset
        if isinstance(self.subcategory, Unset):
            subcategory = UNSET
        else:
            subcategory = self.subcategory

        tags: list[int] | Unset = UNSET
        if not isinstance(self.tags, Unset):
            tags = self.tags

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "sections": sections,
                "template": template,
                "video": video,
                "owner": owner,
                "owner_username": owner_username,
                "metrics": metrics,
                "tag_names": tag_names,
                "category_name": category_name,
                "subcategory_name": subcategory_name,
                "custom_url": custom_url,
                "uid": uid,
                "created_at": created_at,
                "updated_at": updated_at,
                "title": title,
                "workspace": workspace,
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
        if cover_image is not UNSET:
            field_dict["cover_image"] = cover_image
        if thumbnail is not UNSET:
            field_dict["thumbnail"] = thumbnail
        if generated_script is not UNSET:
            field_dict["generated_script"] = generated_script
        if generation_progress is not UNSET:
            field_dict["generation_progress"] = generation_progress
        if status is not UNSET:
            field_dict["status"] = status
        if internal_status is not UNSET:
            field_dict["internal_status"] = internal_status
        if is_regenerating is not UNSET:
            field_dict["is_regenerating"] = is_regenerating
        if duration is not UNSET:
            field_dict["duration"] = duration
        if visibility is not UNSET:
            field_dict["visibility"] = visibility
        if is_draft is not UNSET:
            field_dict["is_draft"] = is_draft
        if plan is not UNSET:
            field_dict["plan"] = plan
        if source_experience is not UNSET:
            field_dict["source_experience"] = source_experience
        if category is not UNSET:
            field_dict["category"] = category
        if subcategory is not UNSET:
            field_dict["subcategory"] = subcategory
        if tags is not UNSET:
            field_dict["tags"] = tags

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.simple_user import SimpleUser  # noqa: PLC0415
        from ..models.video_section import VideoSection  # noqa: PLC0415
        from ..models.video_template import VideoTemplate  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        sections = []
        _sections = d.pop("sections")
        for sections_item_data in _sections:
            sections_item = VideoSection.from_dict(sections_item_data)

            sections.append(sections_item)

        template = VideoTemplate.from_dict(d.pop("template"))

        video = d.pop("video")

        owner = SimpleUser.from_dict(d.pop("owner"))

        owner_username = d.pop("owner_username")

        metrics = d.pop("metrics")

        tag_names = cast(list[str], d.pop("tag_names"))

        category_name = d.pop("category_name")

        subcategory_name = d.pop("subcategory_name")

        custom_url = d.pop("custom_url")

        uid = UUID(d.pop("uid"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        title = d.pop("title")

        workspace = d.pop("workspace")

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

        def _parse_cover_image(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        cover_image = _parse_cover_image(d.pop("cover_image", UNSET))

        def _parse_thumbnail(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        thumbnail = _parse_thumbnail(d.pop("thumbnail", UNSET))

        def _parse_generated_script(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        generated_script = _parse_generated_script(d.pop("generated_script", UNSET))

        generation_progress = d.pop("generation_progress", UNSET)

        _status = d.pop("status", UNSET)
        status: GlobalCreationStatusEnum | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = GlobalCreationStatusEnum(_status)

        _internal_status = d.pop("internal_status", UNSET)
        internal_status: InternalStatusEnum | Unset
        if isinstance(_internal_status, Unset):
            internal_status = UNSET
        else:
            internal_status = InternalStatusEnum(_internal_status)

        is_regenerating = d.pop("is_regenerating", UNSET)

        def _parse_duration(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        duration = _parse_duration(d.pop("duration", UNSET))

        _visibility = d.pop("visibility", UNSET)
        visibility: GlobalVisibilityEnum | Unset
        if isinstance(_visibility, Unset):
            visibility = UNSET
        else:
            visibility = GlobalVisibilityEnum(_visibility)

        is_draft = d.pop("is_draft", UNSET)

        def _parse_plan(data: object) -> Any | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Any | None | Unset, data)

        plan = _parse_plan(d.pop("plan", UNSET))

        def _parse_source_experience(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        source_experience = _parse_source_experience(d.pop("source_experience", UNSET))

        def _parse_category(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        category = _parse_category(d.pop("category", UNSET))

        def _parse_subcategory(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        subcategory = _parse_subcategory(d.pop("subcategory", UNSET))

        tags = cast(list[int], d.pop("tags", UNSET))

        video_detail = cls(
            id=id,
            sections=sections,
            template=template,
            video=video,
            owner=owner,
            owner_username=owner_username,
            metrics=metrics,
            tag_names=tag_names,
            category_name=category_name,
            subcategory_name=subcategory_name,
            custom_url=custom_url,
            uid=uid,
            created_at=created_at,
            updated_at=updated_at,
            title=title,
            workspace=workspace,
            deleted_at=deleted_at,
            is_active=is_active,
            created_by=created_by,
            updated_by=updated_by,
            deleted_by=deleted_by,
            description=description,
            cover_image=cover_image,
            thumbnail=thumbnail,
            generated_script=generated_script,
            generation_progress=generation_progress,
            status=status,
            internal_status=internal_status,
            is_regenerating=is_regenerating,
            duration=duration,
            visibility=visibility,
            is_draft=is_draft,
            plan=plan,
            source_experience=source_experience,
            category=category,
            subcategory=subcategory,
            tags=tags,
        )

        video_detail.additional_properties = d
        return video_detail

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
