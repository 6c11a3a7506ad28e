"""A local, spec-faithful stand-in for the AISquare Studio API, in process or on loopback.

It imports nothing from the SDK, so it cannot share the SDK's bugs.

PYTEST_DONT_REWRITE: the package's pytest plugin makes pytest rewrite the asserts of every module
in the distribution, and the rewrite adds pytest's helpers to the namespace users import from.
"""

from ._api import SANDBOX_API_KEY
from ._exchange import RecordedRequest
from ._faults import Fault
from ._generated import GENERATED_HEADER
from ._server import SandboxServer
from ._state import Sandbox
from ._transport import SandboxTransport

__all__ = [
    "GENERATED_HEADER",
    "SANDBOX_API_KEY",
    "Fault",
    "RecordedRequest",
    "Sandbox",
    "SandboxServer",
    "SandboxTransport",
]
