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
from ..types import UNSET, DocumentError, Unset, parse_datetime, parse_uuid

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
        """Build from a decoded JSON object; raise DocumentError, naming the value, when it does
        not fit the schema (a missing field, a null or a value of the wrong JSON type)."""
        from ..models.simple_user import SimpleUser  # noqa: PLC0415
        from ..models.video_section import VideoSection  # noqa: PLC0415
        from ..models.video_template import VideoTemplate  # noqa: PLC0415

        if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
            raise DocumentError.expected("an object", src_dict)
        try:
            id = src_dict["id"]
            if type(id) is not int:
                raise DocumentError.expected("an integer", id, "id")

            sections = src_dict["sections"]
            if type(sections) is not list:
                raise DocumentError.expected("a list", sections, "sections")
            items_0 = []
            try:
                for item_0 in sections:
                    try:
                        parsed_0 = VideoSection.from_dict(item_0)
                    except DocumentError:
                        if item_0 is None:
                            raise DocumentError.expected(
                                "a VideoSection object", None
                            ) from None
                        raise
                    items_0.append(parsed_0)
            except DocumentError as error:
                raise error.within(len(items_0)).within("sections") from None
            sections = items_0

            template = src_dict["template"]
            try:
                template = VideoTemplate.from_dict(template)
            except DocumentError as error:
                if template is None:
                    raise DocumentError.expected(
                        "a VideoTemplate object", None, "template"
                    ) from None
                raise error.within("template") from None
            video = src_dict["video"]
            if type(video) is not str:
                raise DocumentError.expected("a string", video, "video")

            owner = src_dict["owner"]
            try:
                owner = SimpleUser.from_dict(owner)
            except DocumentError as error:
                if owner is None:
                    raise DocumentError.expected(
                        "a SimpleUser object", None, "owner"
                    ) from None
                raise error.within("owner") from None
            owner_username = src_dict["owner_username"]
            if type(owner_username) is not str:
                raise DocumentError.expected(
                    "a string", owner_username, "owner_username"
                )

            metrics = src_dict["metrics"]
            if type(metrics) is not str:
                raise DocumentError.expected("a string", metrics, "metrics")

            tag_names = src_dict["tag_names"]
            if type(tag_names) is not list:
                raise DocumentError.expected("a list", tag_names, "tag_names")
            try:
                for item_0 in tag_names:
                    if type(item_0) is not str:
                        raise DocumentError.expected("a string", item_0)
            except DocumentError as error:
                # The first item that is the failing object is the failing item: the check is by type.
                index = next(i for i, x in enumerate(tag_names) if x is item_0)
                raise error.within(index).within("tag_names") from None

            category_name = src_dict["category_name"]
            if type(category_name) is not str:
                raise DocumentError.expected("a string", category_name, "category_name")

            subcategory_name = src_dict["subcategory_name"]
            if type(subcategory_name) is not str:
                raise DocumentError.expected(
                    "a string", subcategory_name, "subcategory_name"
                )

            custom_url = src_dict["custom_url"]
            if type(custom_url) is not str:
                raise DocumentError.expected("a string", custom_url, "custom_url")

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
            title = src_dict["title"]
            if type(title) is not str:
                raise DocumentError.expected("a string", title, "title")

            workspace = src_dict["workspace"]
            if type(workspace) is not int:
                raise DocumentError.expected("an integer", workspace, "workspace")

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

            cover_image = src_dict.get("cover_image", UNSET)
            if cover_image is not UNSET and cover_image is not None:
                if type(cover_image) is not str:
                    raise DocumentError.expected("a string", cover_image, "cover_image")

            thumbnail = src_dict.get("thumbnail", UNSET)
            if thumbnail is not UNSET and thumbnail is not None:
                if type(thumbnail) is not str:
                    raise DocumentError.expected("a string", thumbnail, "thumbnail")

            generated_script = src_dict.get("generated_script", UNSET)
            if generated_script is not UNSET and generated_script is not None:
                if type(generated_script) is not str:
                    raise DocumentError.expected(
                        "a string", generated_script, "generated_script"
                    )

            generation_progress = src_dict.get("generation_progress", UNSET)
            if generation_progress is not UNSET:
                if type(generation_progress) is not int:
                    raise DocumentError.expected(
                        "an integer", generation_progress, "generation_progress"
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
            internal_status = src_dict.get("internal_status", UNSET)
            if internal_status is not UNSET:
                # The member map first: calling an enum class is several times slower than a dict lookup.
                try:
                    internal_status = InternalStatusEnum._value2member_map_.get(
                        internal_status
                    ) or InternalStatusEnum(internal_status)
                except (
                    TypeError,
                    ValueError,
                ):  # not a string: the enum keeps any string
                    what = (
                        "a InternalStatusEnum string"
                        if internal_status is None
                        else "a string"
                    )
                    raise DocumentError.expected(
                        what, internal_status, "internal_status"
                    ) from None
            is_regenerating = src_dict.get("is_regenerating", UNSET)
            if is_regenerating is not UNSET:
                if type(is_regenerating) is not bool:
                    raise DocumentError.expected(
                        "a boolean", is_regenerating, "is_regenerating"
                    )

            duration = src_dict.get("duration", UNSET)
            if duration is not UNSET and duration is not None:
                if type(duration) is not int:
                    raise DocumentError.expected("an integer", duration, "duration")

            visibility = src_dict.get("visibility", UNSET)
            if visibility is not UNSET:
                # The member map first: calling an enum class is several times slower than a dict lookup.
                try:
                    visibility = GlobalVisibilityEnum._value2member_map_.get(
                        visibility
                    ) or GlobalVisibilityEnum(visibility)
                except (
                    TypeError,
                    ValueError,
                ):  # not a string: the enum keeps any string
                    what = (
                        "a GlobalVisibilityEnum string"
                        if visibility is None
                        else "a string"
                    )
                    raise DocumentError.expected(
                        what, visibility, "visibility"
                    ) from None
            is_draft = src_dict.get("is_draft", UNSET)
            if is_draft is not UNSET:
                if type(is_draft) is not bool:
                    raise DocumentError.expected("a boolean", is_draft, "is_draft")

            plan = src_dict.get("plan", UNSET)
            source_experience = src_dict.get("source_experience", UNSET)
            if source_experience is not UNSET and source_experience is not None:
                if type(source_experience) is not int:
                    raise DocumentError.expected(
                        "an integer", source_experience, "source_experience"
                    )

            category = src_dict.get("category", UNSET)
            if category is not UNSET and category is not None:
                if type(category) is not int:
                    raise DocumentError.expected("an integer", category, "category")

            subcategory = src_dict.get("subcategory", UNSET)
            if subcategory is not UNSET and subcategory is not None:
                if type(subcategory) is not int:
                    raise DocumentError.expected(
                        "an integer", subcategory, "subcategory"
                    )

            tags = src_dict.get("tags", UNSET)
            if tags is not UNSET:
                if type(tags) is not list:
                    raise DocumentError.expected("a list", tags, "tags")
                try:
                    for item_0 in tags:
                        if type(item_0) is not int:
                            raise DocumentError.expected("an integer", item_0)
                except DocumentError as error:
                    # The first item that is the failing object is the failing item: the check is by type.
                    index = next(i for i, x in enumerate(tags) if x is item_0)
                    raise error.within(index).within("tags") from None

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
        except KeyError as error:  # only a required field's lookup raises it here
            raise DocumentError(error.args[0], "required field is missing") from None
        except RecursionError:
            raise DocumentError.nested_too_deeply() from None
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
