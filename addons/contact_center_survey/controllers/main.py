from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import request

from ..tools import survey_rules as engine


class ContactCenterSurvey(http.Controller):
    """The links of a survey invitation: a score clicked in the email, and
    the opt-out. Public pages in the survey's own layout (no website
    needed), reached by the invitation's personal token."""

    def _cc_invitation(self, token):
        """The invitation whose personal link this is, or 404."""
        if not token:
            raise NotFound()
        # sudo: the unguessable access token in the customer's personal link
        # is the credential; only the invitation it names is read
        invitation = (
            request.env["survey.user_input"]
            .sudo()
            .search([("access_token", "=", token), ("cc_state", "!=", False)], limit=1)
        )
        if not invitation:
            raise NotFound()
        return invitation

    def _cc_render(self, template, invitation, status=200, **values):
        return request.render(
            template,
            {
                "survey": invitation.survey_id,
                "answer": invitation,
                "no_survey_navigation": True,
                **values,
            },
            status=status,
        )

    def _cc_is_on_scale(self, invitation, value):
        """Whether ``value`` is on the scale of the survey's score question
        and of the invitation's score kind."""
        question = invitation.survey_id.cc_score_question_id
        if not question or not question.scale_min <= value <= question.scale_max:
            return False
        try:
            engine.score_kind_value(invitation.cc_score_kind, value)
        except ValueError:
            return False
        return True

    @http.route(
        "/contact_center/survey/<string:token>/score/<int:value>",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def cc_survey_score(self, token, value, **kwargs):
        """One click on a score of the invitation email: record it, then
        open the survey with the score chosen, for the comment."""
        invitation = self._cc_invitation(token)
        survey = invitation.survey_id
        if invitation.state == "done":
            return self._cc_render(
                "contact_center_survey.survey_invitation_answered", invitation
            )
        if not invitation._cc_is_open():
            return self._cc_render("survey.survey_closed_expired", invitation)
        if not self._cc_is_on_scale(invitation, value):
            return self._cc_render(
                "contact_center_survey.survey_invitation_wrong_score",
                invitation,
                status=400,
                question=survey.cc_score_question_id,
            )
        invitation._cc_save_score(value)
        return request.redirect(f"/survey/{survey.access_token}/{token}")

    @http.route(
        "/contact_center/survey/<string:token>/opt-out",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        website=True,
        sitemap=False,
    )
    def cc_survey_opt_out(self, token, **kwargs):
        """GET asks to confirm (a link opened by a mail scanner or a preview
        changes nothing); the confirmation POSTs here and opts out."""
        invitation = self._cc_invitation(token)
        if request.httprequest.method != "POST":
            return self._cc_render(
                "contact_center_survey.survey_opt_out_confirm", invitation
            )
        invitation._cc_opt_out()
        return self._cc_render("contact_center_survey.survey_opt_out_done", invitation)
