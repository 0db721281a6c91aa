"""Client actions that show a notification in the web client."""


def notification(title, message, kind, next_action=None):
    """A ``display_notification`` client action; ``kind`` is info, success,
    warning or danger."""
    params = {"title": title, "message": message, "type": kind, "sticky": False}
    if next_action:
        params["next"] = next_action
    return {
        "type": "ir.actions.client",
        "tag": "display_notification",
        "params": params,
    }
