"""The seam between messaging and the LINE client (``raksa.integrations.line``): every call to LINE from
this app goes through these functions, so a test replaces them in one place. The client is imported
when first called (it loads line-bot-sdk: no cost for a process that never talks to LINE)."""

from __future__ import annotations

from typing import Any


def push_message(*, to: str, messages: list[dict], retry_key: str) -> None:
    from raksa.integrations.line import client

    client.push_message(to=to, messages=messages, retry_key=retry_key)


def reply_message(*, reply_token: str, messages: list[dict]) -> None:
    from raksa.integrations.line import client

    client.reply_message(reply_token=reply_token, messages=messages)


def parse_webhook(*, body: str, signature: str | None) -> list[dict[str, Any]]:
    from raksa.integrations.line import webhook

    return webhook.parse_webhook(body=body, signature=signature)


def rich_menu_setup(*, menu: dict, image_png: bytes) -> str:
    from raksa.integrations.line import client

    return client.rich_menu_setup(menu=menu, image_png=image_png)
