"""``VideoDetail`` as a pydantic v2 SDK (Fern, Stainless) would model it, for comparison only.

Same field types as the generated attrs models: UUIDs and date-times parsed, enums kept as plain
strings (an unknown value must not fail the response), unknown fields kept (``extra="allow"``).
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import pydantic


class _Model(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="allow")


class SimpleUser(_Model):
    id: int
    email: str
    full_name: str
    username: str
    is_verified: bool
    profile_picture: str


class VideoTemplate(_Model):
    id: int
    uid: uuid.UUID
    created_at: datetime.datetime
    updated_at: datetime.datetime
    name: str
    deleted_at: datetime.datetime | None = None
    is_active: bool | None = None
    created_by: str | None = None
    updated_by: str | None = None
    deleted_by: str | None = None
    description: str | None = None
    thumbnail: str | None = None
    preview_video_url: str | None = None
    voices: list[int] | None = None


class VideoSection(_Model):
    id: int
    uid: uuid.UUID
    created_at: datetime.datetime
    updated_at: datetime.datetime
    order: int
    content: Any
    video: int
    deleted_at: datetime.datetime | None = None
    is_active: bool | None = None
    created_by: str | None = None
    updated_by: str | None = None
    deleted_by: str | None = None
    alignment_data: Any = None
    audio_ready: bool | None = None
    visuals_ready: bool | None = None
    is_assembling: bool | None = None
    title: str | None = None
    duration: int | None = None
    video_file: str | None = None
    audio_file: str | None = None
    thumbnail: str | None = None
    section_summary: str | None = None
    internal_notes: str | None = None
    page_numbers: str | None = None
    status: str | None = None
    rag_documents: list[int] | None = None


class VideoDetail(_Model):
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
    uid: uuid.UUID
    created_at: datetime.datetime
    updated_at: datetime.datetime
    title: str
    workspace: int
    deleted_at: datetime.datetime | None = None
    is_active: bool | None = None
    created_by: str | None = None
    updated_by: str | None = None
    deleted_by: str | None = None
    description: str | None = None
    cover_image: str | None = None
    thumbnail: str | None = None
    generated_script: str | None = None
    generation_progress: int | None = None
    status: str | None = None
    internal_status: str | None = None
    is_regenerating: bool | None = None
    duration: int | None = None
    visibility: str | None = None
    is_draft: bool | None = None
    plan: Any = None
    source_experience: int | None = None
    category: int | None = None
    subcategory: int | None = None
    tags: list[int] | None = None
