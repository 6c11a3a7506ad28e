from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.global_creation_status_enum import GlobalCreationStatusEnum
from ..models.global_visibility_enum import GlobalVisibilityEnum
from ..models.internal_status_enum import InternalStatusEnum
from ..types import UNSET, Unset, parse_datetime, parse_uuid

if TYPE_CHECKING:
    from ..models.simple_user import SimpleUser
    from ..models.video_section import VideoSection
    from ..models.video_template import VideoTemplate


T = TypeVar("T", bound="VideoDetail")

# The JSON keys of the schema's properties; any other key goes to additional_properties.
_FIELDS = frozenset(
    {
        "id",
        "sections",
        "template",
        "video",
        "owner",
        "owner_username",
        "metrics",
        "tag_names",
        "category_name",
        "subcategory_name",
        "custom_url",
        "uid",
        "created_at",
        "updated_at",
        "title",
        "workspace",
        "deleted_at",
        "is_active",
        "created_by",
        "updated_by",
        "deleted_by",
        "description",
        "cover_image",
        "thumbnail",
        "generated_script",
        "generation_progress",
        "status",
        "internal_status",
        "is_regenerating",
        "duration",
        "visibility",
        "is_draft",
        "plan",
        "source_experience",
        "category",
        "subcategory",
        "tags",
    }
)


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
        """Build from a decoded JSON object; raise TypeError, ValueError or KeyError when it does
        not fit the schema (a missing field, a null or a value of the wrong JSON type)."""
        from ..models.simple_user import SimpleUser  # noqa: PLC0415
        from ..models.video_section import VideoSection  # noqa: PLC0415
        from ..models.video_template import VideoTemplate  # noqa: PLC0415

        if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
            raise TypeError(
                "VideoDetail: expected an object, got " + type(src_dict).__name__
            )
        id = src_dict["id"]
        if type(id) is not int:
            raise TypeError("VideoDetail.id: expected int, got " + type(id).__name__)

        sections = src_dict["sections"]
        if type(sections) is not list:
            raise TypeError(
                "VideoDetail.sections: expected list, got " + type(sections).__name__
            )
        items_0 = []
        for item_0 in sections:
            parsed_0 = VideoSection.from_dict(item_0)
            items_0.append(parsed_0)
        sections = items_0

        template = src_dict["template"]
        template = VideoTemplate.from_dict(template)
        video = src_dict["video"]
        if type(video) is not str:
            raise TypeError(
                "VideoDetail.video: expected str, got " + type(video).__name__
            )

        owner = src_dict["owner"]
        owner = SimpleUser.from_dict(owner)
        owner_username = src_dict["owner_username"]
        if type(owner_username) is not str:
            raise TypeError(
                "VideoDetail.owner_username: expected str, got "
                + type(owner_username).__name__
            )

        metrics = src_dict["metrics"]
        if type(metrics) is not str:
            raise TypeError(
                "VideoDetail.metrics: expected str, got " + type(metrics).__name__
            )

        tag_names = src_dict["tag_names"]
        if type(tag_names) is not list:
            raise TypeError(
                "VideoDetail.tag_names: expected list, got " + type(tag_names).__name__
            )
        for item_0 in tag_names:
            if type(item_0) is not str:
                raise TypeError(
                    "VideoDetail.tag_names[]: expected str, got "
                    + type(item_0).__name__
                )

        category_name = src_dict["category_name"]
        if type(category_name) is not str:
            raise TypeError(
                "VideoDetail.category_name: expected str, got "
                + type(category_name).__name__
            )

        subcategory_name = src_dict["subcategory_name"]
        if type(subcategory_name) is not str:
            raise TypeError(
                "VideoDetail.subcategory_name: expected str, got "
                + type(subcategory_name).__name__
            )

        custom_url = src_dict["custom_url"]
        if type(custom_url) is not str:
            raise TypeError(
                "VideoDetail.custom_url: expected str, got " + type(custom_url).__name__
            )

        uid = src_dict["uid"]
        uid = parse_uuid(uid)
        created_at = src_dict["created_at"]
        created_at = parse_datetime(created_at)
        updated_at = src_dict["updated_at"]
        updated_at = parse_datetime(updated_at)
        title = src_dict["title"]
        if type(title) is not str:
            raise TypeError(
                "VideoDetail.title: expected str, got " + type(title).__name__
            )

        workspace = src_dict["workspace"]
        if type(workspace) is not int:
            raise TypeError(
                "VideoDetail.workspace: expected int, got " + type(workspace).__name__
            )

        deleted_at = src_dict.get("deleted_at", UNSET)
        if deleted_at is not UNSET and deleted_at is not None:
            deleted_at = parse_datetime(deleted_at)
        is_active = src_dict.get("is_active", UNSET)
        if is_active is not UNSET:
            if type(is_active) is not bool:
                raise TypeError(
                    "VideoDetail.is_active: expected bool, got "
                    + type(is_active).__name__
                )

        created_by = src_dict.get("created_by", UNSET)
        if created_by is not UNSET and created_by is not None:
            if type(created_by) is not str:
                raise TypeError(
                    "VideoDetail.created_by: expected str, got "
                    + type(created_by).__name__
                )

        updated_by = src_dict.get("updated_by", UNSET)
        if updated_by is not UNSET and updated_by is not None:
            if type(updated_by) is not str:
                raise TypeError(
                    "VideoDetail.updated_by: expected str, got "
                    + type(updated_by).__name__
                )

        deleted_by = src_dict.get("deleted_by", UNSET)
        if deleted_by is not UNSET and deleted_by is not None:
            if type(deleted_by) is not str:
                raise TypeError(
                    "VideoDetail.deleted_by: expected str, got "
                    + type(deleted_by).__name__
                )

        description = src_dict.get("description", UNSET)
        if description is not UNSET and description is not None:
            if type(description) is not str:
                raise TypeError(
                    "VideoDetail.description: expected str, got "
                    + type(description).__name__
                )

        cover_image = src_dict.get("cover_image", UNSET)
        if cover_image is not UNSET and cover_image is not None:
            if type(cover_image) is not str:
                raise TypeError(
                    "VideoDetail.cover_image: expected str, got "
                    + type(cover_image).__name__
                )

        thumbnail = src_dict.get("thumbnail", UNSET)
        if thumbnail is not UNSET and thumbnail is not None:
            if type(thumbnail) is not str:
                raise TypeError(
                    "VideoDetail.thumbnail: expected str, got "
                    + type(thumbnail).__name__
                )

        generated_script = src_dict.get("generated_script", UNSET)
        if generated_script is not UNSET and generated_script is not None:
            if type(generated_script) is not str:
                raise TypeError(
                    "VideoDetail.generated_script: expected str, got "
                    + type(generated_script).__name__
                )

        generation_progress = src_dict.get("generation_progress", UNSET)
        if generation_progress is not UNSET:
            if type(generation_progress) is not int:
                raise TypeError(
                    "VideoDetail.generation_progress: expected int, got "
                    + type(generation_progress).__name__
                )

        status = src_dict.get("status", UNSET)
        if status is not UNSET:
            # The member map first: calling an enum class is several times slower than a dict lookup.
            status = GlobalCreationStatusEnum._value2member_map_.get(
                status
            ) or GlobalCreationStatusEnum(status)
        internal_status = src_dict.get("internal_status", UNSET)
        if internal_status is not UNSET:
            # The member map first: calling an enum class is several times slower than a dict lookup.
            internal_status = InternalStatusEnum._value2member_map_.get(
                internal_status
            ) or InternalStatusEnum(internal_status)
        is_regenerating = src_dict.get("is_regenerating", UNSET)
        if is_regenerating is not UNSET:
            if type(is_regenerating) is not bool:
                raise TypeError(
                    "VideoDetail.is_regenerating: expected bool, got "
                    + type(is_regenerating).__name__
                )

        duration = src_dict.get("duration", UNSET)
        if duration is not UNSET and duration is not None:
            if type(duration) is not int:
                raise TypeError(
                    "VideoDetail.duration: expected int, got " + type(duration).__name__
                )

        visibility = src_dict.get("visibility", UNSET)
        if visibility is not UNSET:
            # The member map first: calling an enum class is several times slower than a dict lookup.
            visibility = GlobalVisibilityEnum._value2member_map_.get(
                visibility
            ) or GlobalVisibilityEnum(visibility)
        is_draft = src_dict.get("is_draft", UNSET)
        if is_draft is not UNSET:
            if type(is_draft) is not bool:
                raise TypeError(
                    "VideoDetail.is_draft: expected bool, got "
                    + type(is_draft).__name__
                )

        plan = src_dict.get("plan", UNSET)
        source_experience = src_dict.get("source_experience", UNSET)
        if source_experience is not UNSET and source_experience is not None:
            if type(source_experience) is not int:
                raise TypeError(
                    "VideoDetail.source_experience: expected int, got "
                    + type(source_experience).__name__
                )

        category = src_dict.get("category", UNSET)
        if category is not UNSET and category is not None:
            if type(category) is not int:
                raise TypeError(
                    "VideoDetail.category: expected int, got " + type(category).__name__
                )

        subcategory = src_dict.get("subcategory", UNSET)
        if subcategory is not UNSET and subcategory is not None:
            if type(subcategory) is not int:
                raise TypeError(
                    "VideoDetail.subcategory: expected int, got "
                    + type(subcategory).__name__
                )

        tags = src_dict.get("tags", UNSET)
        if tags is not UNSET:
            if type(tags) is not list:
                raise TypeError(
                    "VideoDetail.tags: expected list, got " + type(tags).__name__
                )
            for item_0 in tags:
                if type(item_0) is not int:
                    raise TypeError(
                        "VideoDetail.tags[]: expected int, got " + type(item_0).__name__
                    )

        # Positional, in the order the fields are declared above: half the cost of keywords.
        video_detail = cls(
            id,
            sections,
            template,
            video,
            owner,
            owner_username,
            metrics,
            tag_names,
            category_name,
            subcategory_name,
            custom_url,
            uid,
            created_at,
            updated_at,
            title,
            workspace,
            deleted_at,
            is_active,
            created_by,
            updated_by,
            deleted_by,
            description,
            cover_image,
            thumbnail,
            generated_script,
            generation_progress,
            status,
            internal_status,
            is_regenerating,
            duration,
            visibility,
            is_draft,
            plan,
            source_experience,
            category,
            subcategory,
            tags,
        )
        # Unknown keys are kept (and sent back by to_dict); most documents have none.
        if _FIELDS.issuperset(src_dict):
            video_detail.additional_properties = {}
        else:
            video_detail.additional_properties = {
                key: value for key, value in src_dict.items() if key not in _FIELDS
            }
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
