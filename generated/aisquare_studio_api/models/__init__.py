"""Contains all the data models used in inputs/outputs"""

from .global_creation_status_enum import GlobalCreationStatusEnum
from .global_visibility_enum import GlobalVisibilityEnum
from .internal_status_enum import InternalStatusEnum
from .simple_user import SimpleUser
from .video_detail import VideoDetail
from .video_section import VideoSection
from .video_template import VideoTemplate

__all__ = (
    "GlobalCreationStatusEnum",
    "GlobalVisibilityEnum",
    "InternalStatusEnum",
    "SimpleUser",
    "VideoDetail",
    "VideoSection",
    "VideoTemplate",
)
