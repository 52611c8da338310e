"""A real SMTP server for tests (aiosmtpd in a thread on a free localhost port) that keeps what
it receives, so tests read the mails the application really sent."""

from __future__ import annotations

import re
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage

    @property
    def text(self) -> str:
        return self.message.get_content()

    def link(self, path_start: str) -> str:
        """The path (from `path_start` on) of the one link in the text that contains it."""
        found = re.findall(rf"https?://[^\s/]+({re.escape(path_start)}\S+)", self.text)
        assert len(found) == 1, f"expected one {path_start} link in:\n{self.text}"
        return found[0]


@dataclass
class MailServer:
    host: str
    port: int
    received: list[Received] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope) -> str:  # aiosmtpd's hook
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))  # type: ignore[arg-type]
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float = 5.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.received


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running_mail_server() -> Iterator[MailServer]:
    """Serve SMTP on a free localhost port while the block runs (use it in a fixture)."""
    server = MailServer("127.0.0.1", free_port())
    controller = Controller(server, hostname=server.host, port=server.port)
    controller.start()
    try:
        yield server
    finally:
        controller.stop()
