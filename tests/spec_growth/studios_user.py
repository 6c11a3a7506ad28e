"""A user's typed code for the GTM studio operations: ``mypy --strict``, no ``Any``, against the
package generated from tests/spec_variants/studios.yaml. Each value is pinned with
``assert_type``, so a facade method that decays to ``Any`` or names the wrong type fails."""

from __future__ import annotations

from typing import assert_type

from aisquare_studio import (
    AsyncStudio,
    GtmStudio,
    GtmStudiosListStatusItem,
    GtmStudioStatusEnum,
    NotFoundError,
    PaginatedGtmStudioList,
    RawResponse,
    Studio,
    Unset,
)

Browsed = tuple[PaginatedGtmStudioList, list[GtmStudio], GtmStudio, GtmStudio]
LIVE = [GtmStudiosListStatusItem.ACTIVE, GtmStudiosListStatusItem.DRAFT]


def browse(studio: Studio, uid: str) -> Browsed:
    """One page, every page, one studio, a new studio."""
    page = studio.gtm_studio.list(page=1, page_size=2, search="launch", status=LIVE)
    assert_type(page, PaginatedGtmStudioList)
    assert_type(page.count, int)
    everything: list[GtmStudio] = []
    for item in studio.gtm_studio.list_all(page_size=2):
        assert_type(item, GtmStudio)
        everything.append(item)
    one = studio.gtm_studio.retrieve(uid)
    assert_type(one.status, GtmStudioStatusEnum)
    made = studio.gtm_studio.create(name="Launch", website="https://example.com/launch", tags=[4])
    assert_type(made, GtmStudio)
    assert_type(made.tags, list[int] | Unset)
    return page, everything, one, made


async def abrowse(studio: AsyncStudio, uid: str) -> Browsed:
    """The same with ``AsyncStudio``."""
    page = await studio.gtm_studio.list(page=1, page_size=2, search="launch", status=LIVE)
    assert_type(page, PaginatedGtmStudioList)
    everything: list[GtmStudio] = []
    async for item in studio.gtm_studio.list_all(page_size=2):
        assert_type(item, GtmStudio)
        everything.append(item)
    one = await studio.gtm_studio.retrieve(uid)
    assert_type(one.status, GtmStudioStatusEnum)
    made = await studio.gtm_studio.create(
        name="Launch", website="https://example.com/launch", tags=[4]
    )
    assert_type(made, GtmStudio)
    assert_type(made.tags, list[int] | Unset)
    return page, everything, one, made


def find(studio: Studio, uid: str) -> GtmStudio | None:
    """A studio, or None if there is none with this uid."""
    try:
        return studio.gtm_studio.retrieve(uid)
    except NotFoundError as error:
        assert_type(error.body, object)
        return None


def request_id_of_retrieve(studio: Studio, uid: str) -> tuple[str | None, GtmStudio]:
    """A studio with the request id of the response that carried it."""
    raw = studio.gtm_studio.with_raw_response.retrieve(uid)
    assert_type(raw, RawResponse[GtmStudio])
    assert_type(raw.status_code, int)
    return raw.request_id, raw.parse()


async def arequest_id_of_list(studio: AsyncStudio) -> tuple[str | None, PaginatedGtmStudioList]:
    """The same with ``AsyncStudio``, for a page of the list."""
    raw = await studio.gtm_studio.with_raw_response.list(page=2)
    assert_type(raw, RawResponse[PaginatedGtmStudioList])
    assert_type(raw.parsed, PaginatedGtmStudioList)
    return raw.request_id, raw.parse()
