from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import request
from odoo.tools import consteq

# the form's fields, as the page posts them and the JSON route takes them
FORM_FIELDS = ("name", "email", "phone", "message", "callback")


class LivechatOfflineController(http.Controller):
    """Offline messages: when no one can chat, visitors leave a message.

    The page shows the form while the channel is offline (its team closed,
    or no agent free: ``im_livechat.channel._cc_is_offline``), and a link to
    the chat otherwise. A message posted is accepted whatever the state by
    then: what the visitor typed while the team was away is never lost
    because an agent came back meanwhile.
    """

    def _cc_offline_channel(self, channel_id):
        # sudo: the page names the channel to anyone, as Odoo's support page
        # does; only channels answered by a contact-center team take messages
        channel = request.env["im_livechat.channel"].sudo().browse(channel_id).exists()
        if not channel or not channel.cc_team_id:
            raise NotFound()
        return channel

    def _cc_offline_post(self, channel, values):
        """(ticket, cleaned values, errors): the ticket made of ``values``,
        or the errors of the fields that cannot be used, in which case
        nothing is stored."""
        # sudo: an anonymous visitor creates a ticket for the channel's team
        # only, from values checked here, as the mail gateway does for email
        Ticket = request.env["contact_center.ticket"].sudo()
        clean, errors = Ticket._cc_offline_clean(values, channel.cc_team_id.company_id)
        if errors:
            return Ticket, clean, errors
        # sudo: the flood guard's own records, hashed addresses only
        Attempt = request.env["contact_center.livechat.offline.attempt"].sudo()
        if not Attempt._cc_take(request.httprequest.remote_addr, channel):
            return (
                Ticket,
                clean,
                {
                    "form": request.env._(
                        "We have received several messages from your "
                        "connection in the last minutes: please try again a "
                        "little later."
                    )
                },
            )
        return Ticket._cc_create_offline_message(channel, values), clean, {}

    def _cc_sent_values(self, channel, ticket):
        # sudo: the visitor's own ticket, reached by its access token
        ticket = ticket.sudo()
        asked = bool(
            request.env["contact_center.interaction"]
            .sudo()
            .search_count(
                [
                    ("res_model", "=", ticket._name),
                    ("res_id", "=", ticket.id),
                    ("callback_requested", "=", True),
                ],
                limit=1,
            )
        )
        return {
            "channel": channel,
            "ticket": ticket,
            "expected": ticket._expected_response_text(),
            "callback": asked,
        }

    @http.route(
        "/contact_center/chat/<int:channel_id>/offline",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        # the frontend layout's context (languages, ...): portal's, no website
        website=True,
        sitemap=False,
    )
    def cc_offline_page(self, channel_id, **post):
        channel = self._cc_offline_channel(channel_id)
        values = {"channel": channel, "form": {}, "errors": {}}
        if request.httprequest.method == "POST":
            form = {key: post.get(key) or "" for key in FORM_FIELDS}
            ticket, _clean, errors = self._cc_offline_post(channel, form)
            if errors:
                values.update(form=form, errors=errors)
                return request.render(
                    "contact_center_livechat.offline_message_form",
                    values,
                    status=429 if "form" in errors else 400,
                )
            # to the thank-you page: reloading it sends nothing again
            return request.redirect(
                f"/contact_center/chat/{channel.id}/offline/sent/{ticket.id}"
                f"?token={ticket._portal_ensure_token()}"
            )
        if not channel._cc_is_offline():
            return request.render(
                "contact_center_livechat.offline_chat_available", values
            )
        return request.render("contact_center_livechat.offline_message_form", values)

    @http.route(
        "/contact_center/chat/<int:channel_id>/offline/sent/<int:ticket_id>",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def cc_offline_sent(self, channel_id, ticket_id, token=None, **kwargs):
        """The thank-you page of a message left: its reference and when the
        visitor hears back, for whoever holds the ticket's access token."""
        channel = self._cc_offline_channel(channel_id)
        # sudo: the token, compared below, is the visitor's credential
        ticket = request.env["contact_center.ticket"].sudo().browse(ticket_id).exists()
        if (
            not ticket
            or not token
            or not ticket.access_token
            or not consteq(ticket.access_token, token)
        ):
            raise NotFound()
        return request.render(
            "contact_center_livechat.offline_message_sent",
            self._cc_sent_values(channel, ticket),
        )

    @http.route(
        "/contact_center/chat/<int:channel_id>/offline/message",
        type="json",
        auth="public",
        methods=["POST"],
        cors="*",
    )
    def cc_offline_message(self, channel_id, **params):
        """The form's JSON twin for a site that embeds its own form.

        Takes name, email, phone, message and callback (true to be called
        back); answers {"ok": false, "errors": {field: text}} or
        {"ok": true, "reference": ..., "expected": ...} where ``expected``
        is when the visitor hears back, as the acknowledgement email says
        it ("" when no response target applies).
        """
        channel = self._cc_offline_channel(channel_id)
        ticket, _clean, errors = self._cc_offline_post(
            channel, {key: params.get(key) for key in FORM_FIELDS}
        )
        if errors:
            return {"ok": False, "errors": errors}
        return {
            "ok": True,
            "reference": ticket.reference,
            "expected": ticket._expected_response_text(),
        }
