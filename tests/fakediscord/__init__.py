"""A fake Discord (REST + gateway) for end-to-end tests; see :mod:`.server` for the API."""

from .server import (
    ChannelConfig,
    FakeConfig,
    FakeDiscord,
    GatewaySession,
    GuildConfig,
    InteractionRecord,
    RecordedRequest,
    UserConfig,
)

__all__ = [
    "ChannelConfig",
    "FakeConfig",
    "FakeDiscord",
    "GatewaySession",
    "GuildConfig",
    "InteractionRecord",
    "RecordedRequest",
    "UserConfig",
]
