from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.video_detail import VideoDetail
from ...types import UNSET, Response, Unset


def _get_kwargs(
    video_id: int,
    *,
    body: VideoDetail | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/videos/{video_id}/publish/".format(
            video_id=quote(str(video_id), safe=""),
        ),
    }

    if not isinstance(body, Unset):
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> VideoDetail | None:
    # An HTTP client that has already decoded, checked and parsed the body hands the result over
    # in this response extension, so the body is not decoded and parsed a second time.
    if "aisquare_studio_api.parsed" in response.extensions:
        return cast(
            VideoDetail | None, response.extensions["aisquare_studio_api.parsed"]
        )
    if response.status_code == 200:
        response_200 = VideoDetail.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[VideoDetail]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    video_id: int,
    *,
    client: AuthenticatedClient | Client,
    body: VideoDetail | Unset = UNSET,
) -> Response[VideoDetail]:
    """Publish Create

     Publish video by setting is_draft to False.

    Args:
        video_id (int):
        body (VideoDetail | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[VideoDetail]
    """

    kwargs = _get_kwargs(
        video_id=video_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    video_id: int,
    *,
    client: AuthenticatedClient | Client,
    body: VideoDetail | Unset = UNSET,
) -> VideoDetail | None:
    """Publish Create

     Publish video by setting is_draft to False.

    Args:
        video_id (int):
        body (VideoDetail | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        VideoDetail
    """

    return sync_detailed(
        video_id=video_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    video_id: int,
    *,
    client: AuthenticatedClient | Client,
    body: VideoDetail | Unset = UNSET,
) -> Response[VideoDetail]:
    """Publish Create

     Publish video by setting is_draft to False.

    Args:
        video_id (int):
        body (VideoDetail | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[VideoDetail]
    """

    kwargs = _get_kwargs(
        video_id=video_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    video_id: int,
    *,
    client: AuthenticatedClient | Client,
    body: VideoDetail | Unset = UNSET,
) -> VideoDetail | None:
    """Publish Create

     Publish video by setting is_draft to False.

    Args:
        video_id (int):
        body (VideoDetail | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        VideoDetail
    """

    return (
        await asyncio_detailed(
            video_id=video_id,
            client=client,
            body=body,
        )
    ).parsed
