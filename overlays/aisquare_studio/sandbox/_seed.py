"""Seeded documents: realistic draft videos that each validate as a ``VideoDetail``."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

Document = dict[str, Any]

_EPOCH = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://sandbox.aisquare.studio/")
_CDN = "https://cdn.aisquare.studio/sandbox"
_WORKSPACE = 42
_USERS = [(7, "maya.okafor", "Maya Okafor"), (12, "lucas.brandt", "Lucas Brandt")]
_TEMPLATES = [
    (3, "Explainer", "Narrated slides with animated diagrams."),
    (5, "Lecture", "A presenter beside chaptered slides, for courses."),
]
_CATEGORIES = {"Science": 1, "Finance": 2, "Business": 3, "Technology": 4}
_PROGRESS = {"completed": 100, "in_progress": 80, "failed": 35}


class _Spec(NamedTuple):
    video_id: int
    title: str
    category: str  # "category/subcategory"
    tags: list[str]
    sections: list[str]
    status: str = "completed"
    internal_status: str = "completed"
    visibility: str = "public"


# A table reads best one row per video, so the formatter is told to leave it alone.
# fmt: off
_VIDEOS = [
    _Spec(101, "How Vaccines Train the Immune System", "Science/Biology", ["health", "biology"],
          ["Meet your immune system", "What a vaccine contains", "Memory cells"]),
    _Spec(102, "Compound Interest in Five Minutes", "Finance/Personal finance", ["money"],
          ["Simple versus compound", "The rule of 72"]),
    _Spec(103, "Onboarding: Our Expense Policy", "Business/Operations", ["onboarding", "policy"],
          ["Why we have a policy", "What you can claim", "Receipts and deadlines", "Getting help"],
          visibility="org"),
    _Spec(104, "Photosynthesis Step by Step", "Science/Biology", ["plants", "biology"],
          ["Light reactions", "The Calvin cycle", "Why leaves are green", "Limits on growth",
           "Recap"], "in_progress", "rendering", "private"),
    _Spec(105, "Intro to SQL Joins", "Technology/Databases", ["sql", "data"],
          ["Tables and keys", "Inner joins", "Outer joins"], visibility="team"),
    _Spec(106, "Quarterly Results Walkthrough", "Business/Finance", ["finance", "quarterly"],
          ["Headline numbers", "What drove growth"], "failed", "failed", "private"),
]
_COURSE_TOPICS = [
    "Variables", "Types", "Strings", "Lists", "Dictionaries", "Loops", "Functions", "Modules",
    "Files", "Errors", "Classes", "Testing", "Iterators", "Generators", "Decorators",
]
_COURSE = _Spec(130, "Python from Scratch: The Complete Course", "Technology/Programming",
                ["python", "course"],
                [f"Lesson {n}: {_COURSE_TOPICS[(n - 1) % 15]}" + (" in practice" if n > 15 else "")
                 for n in range(1, 31)])
# fmt: on


def timestamp(moment: datetime) -> str:
    """Format ``moment`` as DRF does: ISO 8601, with UTC written as ``Z``."""
    return moment.isoformat().replace("+00:00", "Z")


def _uid(kind: str, key: int) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{kind}/{key}"))


def _audit(kind: str, key: int, created: datetime, author: str | None) -> Document:
    return {
        "uid": _uid(kind, key),
        "created_at": timestamp(created),
        "updated_at": timestamp(created + timedelta(hours=2, minutes=key % 50)),
        "deleted_at": None,
        "is_active": True,
        "created_by": author,
        "updated_by": author,
        "deleted_by": None,
    }


def _user(index: int) -> Document:
    user_id, username, full_name = _USERS[index]
    return {
        "id": user_id,
        "email": f"{username}@example.com",
        "full_name": full_name,
        "username": username,
        "is_verified": True,
        "profile_picture": f"{_CDN}/avatars/{username}.png",
    }


def _template(index: int) -> Document:
    template_id, name, description = _TEMPLATES[index]
    return {
        "id": template_id,
        **_audit("template", template_id, _EPOCH - timedelta(days=90), None),
        "name": name,
        "description": description,
        "thumbnail": f"{_CDN}/templates/{name.lower()}.png",
        "preview_video_url": f"{_CDN}/templates/{name.lower()}.mp4",
        "voices": [1, 4],
    }


def _section(video_id: int, order: int, title: str, created: datetime, author: str) -> Document:
    section_id = video_id * 100 + order
    duration = 45 + (section_id * 37) % 120
    lines = [
        f"Welcome to part {order}: {title.lower()}.",
        f"Here is the one idea to keep from {title.lower()}.",
    ]
    return {
        "id": section_id,
        **_audit("section", section_id, created, author),
        "alignment_data": {"words": len(" ".join(lines).split()), "offsets_ms": [0, 2400]},
        "audio_ready": True,
        "visuals_ready": True,
        "is_assembling": False,
        "order": order,
        "title": title,
        "content": [{"speaker": "narrator", "text": text} for text in lines],
        "duration": duration,
        "video_file": f"{_CDN}/sections/{section_id}.mp4",
        "audio_file": f"{_CDN}/sections/{section_id}.mp3",
        "thumbnail": f"{_CDN}/sections/{section_id}.jpg",
        "section_summary": f"{title}, in about {duration} seconds.",
        "internal_notes": None,
        "page_numbers": f"{order * 2 - 1}-{order * 2}",
        "status": "completed",
        "video": video_id,
        "rag_documents": [],
    }


def _video(spec: _Spec) -> Document:
    video_id, uid = spec.video_id, _uid("video", spec.video_id)
    category, subcategory = spec.category.split("/")
    owner, template = _user(video_id % 2), _template(int(len(spec.sections) > 4))
    created = _EPOCH + timedelta(days=video_id % 100, minutes=video_id)
    sections = [
        _section(video_id, order, title, created, owner["email"])
        for order, title in enumerate(spec.sections, start=1)
    ]
    return {
        "id": video_id,
        "sections": sections,
        "template": template,
        "video": f"{_CDN}/videos/{uid}.mp4",
        "owner": owner,
        "owner_username": owner["username"],
        "metrics": json.dumps({"views": 0, "likes": 0, "shares": 0}),
        "tag_names": spec.tags,
        "category_name": category,
        "subcategory_name": subcategory,
        "custom_url": "-".join(spec.title.lower().replace(":", "").split()),
        **_audit("video", video_id, created, owner["email"]),
        "title": spec.title,
        "description": f"A {len(sections)}-part video: {', '.join(spec.sections[:3]).lower()}.",
        "cover_image": f"{_CDN}/videos/{uid}/cover.jpg",
        "thumbnail": f"{_CDN}/videos/{uid}/thumbnail.jpg",
        "generated_script": "\n".join(t["text"] for s in sections for t in s["content"]),
        "generation_progress": _PROGRESS[spec.status],
        "status": spec.status,
        "internal_status": spec.internal_status,
        "is_regenerating": False,
        "duration": sum(s["duration"] for s in sections),
        "visibility": spec.visibility,
        "is_draft": True,
        "plan": {
            "audience": "beginners",
            "tone": "friendly",
            "sections": [{"order": s["order"], "target_seconds": s["duration"]} for s in sections],
        },
        "workspace": _WORKSPACE,
        "source_experience": None,
        "category": _CATEGORIES[category],
        "subcategory": 10 * _CATEGORIES[category] + len(spec.tags),
        "tags": [sum(map(ord, tag)) % 97 + 1 for tag in spec.tags],
    }


def seed_videos() -> dict[int, Document]:
    """Fresh documents for the drafts 101..106 and 130 (a 30-section course)."""
    return {spec.video_id: _video(spec) for spec in [*_VIDEOS, _COURSE]}
