"""The ``telemetry`` setting of a client: which OpenTelemetry providers its calls report to.

OpenTelemetry is imported only when a client is built with telemetry on (``_otel``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ._errors import StudioError

if TYPE_CHECKING:
    from opentelemetry.metrics import MeterProvider
    from opentelemetry.trace import TracerProvider

    from ._otel import Instruments


# A dataclass, as the SDK's other small records: attrs would load with `import aisquare_studio`.
@dataclass(frozen=True, slots=True)
class Telemetry:
    """OpenTelemetry for a client's calls: ``AsyncStudio(telemetry=Telemetry(...))``.

    Each call is a span named after its operation (``publish-create``), with a CLIENT span per
    HTTP attempt under it, and the calls, attempts, retries and durations are metrics.
    ``telemetry=True`` is ``Telemetry()``. Needs the ``otel`` extra (opentelemetry-api).

    Attributes:
        tracer_provider: where the spans go; None: the global one
            (``opentelemetry.trace.set_tracer_provider``), even if it is set later.
        meter_provider: where the metrics go; None: the global one, likewise.
    """

    tracer_provider: TracerProvider | None = None
    meter_provider: MeterProvider | None = None


TelemetrySetting = bool | Telemetry


def instruments_for(setting: object) -> Instruments | None:
    """The instruments a client with ``telemetry=setting`` reports to; None when it is off."""
    if setting is False:
        return None
    if setting is True:
        setting = Telemetry()
    if not isinstance(setting, Telemetry):
        raise TypeError(
            f"telemetry must be True, False or a Telemetry, got {type(setting).__name__}"
        )
    try:
        from ._otel import Instruments  # only a client with telemetry pays for it
    except ImportError as exc:
        raise StudioError(
            "telemetry needs OpenTelemetry's API, the otel extra: pip install"
            " 'aisquare-studio[otel]' (from a checkout: pip install '.[otel]')"
            f" ({type(exc).__name__}: {exc})"
        ) from None
    return Instruments(setting)
