from odoo import api, models
from odoo.osv import expression

VISIBILITY_RULES = {
    "own": "contact_center.contact_center_ticket_rule_agent_own",
    "teams": "contact_center.contact_center_ticket_rule_agent",
    "all": "contact_center.contact_center_ticket_rule_agent_all",
}


class IrRule(models.Model):
    _inherit = "ir.rule"

    @api.model
    def _compute_domain(self, model_name, mode="read"):
        """Rules of models that follow a parent record's visibility.

        A model with ``_cc_rules_follow = "<many2one>"`` (SLA lines follow
        their ticket) is visible only where its parent is readable: its
        domain is AND-ed with the parent model's rules, whichever of them is
        active, as Odoo does for ``_inherits`` parents.
        """
        domain = super()._compute_domain(model_name, mode)
        parent_field = getattr(self.env[model_name], "_cc_rules_follow", None)
        if not parent_field:
            return domain
        comodel = self.env[model_name]._fields[parent_field].comodel_name
        parent_domain = self._compute_domain(comodel, "read")
        if not parent_domain:
            return domain
        return expression.AND([domain or [], [(parent_field, "any", parent_domain)]])

    @api.model
    def _cc_set_ticket_visibility(self, visibility):
        """Activate the agents' ticket rule of ``visibility``, deactivate the others."""
        for key, xmlid in VISIBILITY_RULES.items():
            rule = self.env.ref(xmlid, raise_if_not_found=False)
            if rule:
                rule.with_context(active_test=False).active = key == visibility
