"""Checks of request bodies as LINE makes them, reported in LINE's shape:
{"message": "The request body has N error(s)", "details": [{"message", "property"}]}."""

from __future__ import annotations

import re

from line_standin.http import BadRequest

USER_ID = re.compile(r"^U[0-9a-f]{32}$")
MESSAGE_TYPES = {"text", "textV2", "sticker", "image", "video", "audio", "location", "imagemap", "template", "flex"}
ACTION_TYPES = {"postback", "message", "uri", "datetimepicker", "camera", "cameraRoll", "location", "richmenuswitch",
                "clipboard"}


def raise_if(errors: list[dict]) -> None:
    if errors:
        raise BadRequest(f"The request body has {len(errors)} error(s)", errors)


def object_body(body: object) -> dict:
    if not isinstance(body, dict):
        raise BadRequest("The request body has 1 error(s)", [{"message": "must be an object", "property": ""}])
    return body


def messages_errors(messages: object) -> list[dict]:
    if messages is None:
        return [{"message": "must be specified", "property": "messages"}]
    if not isinstance(messages, list) or not 1 <= len(messages) <= 5:
        return [{"message": "size must be between 1 and 5", "property": "messages"}]
    errors: list[dict] = []
    for index, message in enumerate(messages):
        where = f"messages[{index}]"
        if not isinstance(message, dict):
            errors.append({"message": "must be an object", "property": where})
            continue
        kind = message.get("type")
        if kind not in MESSAGE_TYPES:
            errors.append({"message": "must be one of the following values: " + ", ".join(sorted(MESSAGE_TYPES)),
                           "property": f"{where}.type"})
        elif kind == "text":
            text = message.get("text")
            if not isinstance(text, str) or not text:
                errors.append({"message": "must be specified", "property": f"{where}.text"})
            elif len(text) > 5000:
                errors.append({"message": "Length must be between 0 and 5000", "property": f"{where}.text"})
        elif kind == "flex":
            alt_text = message.get("altText")
            if not isinstance(alt_text, str) or not alt_text:
                errors.append({"message": "must be specified", "property": f"{where}.altText"})
            elif len(alt_text) > 1500:
                errors.append({"message": "Length must be between 0 and 1500", "property": f"{where}.altText"})
            contents = message.get("contents")
            if not isinstance(contents, dict) or contents.get("type") not in ("bubble", "carousel"):
                errors.append({"message": "must be a bubble or a carousel", "property": f"{where}.contents"})
    return errors


def rich_menu_errors(menu: dict) -> list[dict]:
    errors: list[dict] = []
    size = menu.get("size")
    if not isinstance(size, dict):
        errors.append({"message": "must be specified", "property": "size"})
    else:
        width, height = size.get("width"), size.get("height")
        if not isinstance(width, int) or not 800 <= width <= 2500:
            errors.append({"message": "must be between 800 and 2500", "property": "size.width"})
        too_tall = isinstance(width, int) and isinstance(height, int) and height * 1.45 > width
        if not isinstance(height, int) or not 250 <= height <= 1686 or too_tall:
            errors.append({"message": "must be between 250 and 1686, and width/height at least 1.45",
                           "property": "size.height"})
    if not isinstance(menu.get("selected"), bool):
        errors.append({"message": "must be specified", "property": "selected"})
    name = menu.get("name")
    if not isinstance(name, str) or not 1 <= len(name) <= 300:
        errors.append({"message": "Length must be between 1 and 300", "property": "name"})
    chat_bar_text = menu.get("chatBarText")
    if not isinstance(chat_bar_text, str) or not 1 <= len(chat_bar_text) <= 14:
        errors.append({"message": "Length must be between 1 and 14", "property": "chatBarText"})
    areas = menu.get("areas")
    if not isinstance(areas, list) or not 1 <= len(areas) <= 20:
        errors.append({"message": "size must be between 1 and 20", "property": "areas"})
        return errors
    for index, area in enumerate(areas):
        where = f"areas[{index}]"
        bounds = area.get("bounds") if isinstance(area, dict) else None
        if not isinstance(bounds, dict) or not all(isinstance(bounds.get(k), int) and bounds[k] >= 0
                                                   for k in ("x", "y", "width", "height")):
            errors.append({"message": "must have integer x, y, width and height", "property": f"{where}.bounds"})
        action = area.get("action") if isinstance(area, dict) else None
        if not isinstance(action, dict) or action.get("type") not in ACTION_TYPES:
            errors.append({"message": "must be a valid action", "property": f"{where}.action"})
        elif action["type"] == "uri" and not isinstance(action.get("uri"), str):
            errors.append({"message": "must be specified", "property": f"{where}.action.uri"})
        elif action["type"] == "postback" and not isinstance(action.get("data"), str):
            errors.append({"message": "must be specified", "property": f"{where}.action.data"})
        elif action["type"] == "message" and not isinstance(action.get("text"), str):
            errors.append({"message": "must be specified", "property": f"{where}.action.text"})
    return errors
