from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from .recouvrement_credit_position import RISK_GRADES


class RecouvrementDunningScenario(models.Model):
    """A dunning scenario (scénario de relance): the ordered levels a customer goes through.

    A customer follows its own scenario, else the first scenario whose risk grades contain its
    grade, else its company's default (``_get_scenario_sql`` says this in SQL, for every customer of
    a dunning run at once).
    """

    _name = "recouvrement.dunning.scenario"
    _description = "Dunning scenario"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True, help="Leave empty to offer it in every company.")
    level_ids = fields.One2many("recouvrement.dunning.level", "scenario_id", "Levels", copy=True)
    customer_type = fields.Selection(
        [("b2b", "Businesses"), ("b2c", "Consumers")],
        default="b2b",
        required=True,
        help="Consumers: no fixed recovery indemnity, legal-rate wording, and no communication at all "
        "during the company's quiet hours.",
    )
    risk_grade_from = fields.Selection(
        RISK_GRADES,
        "From Risk Grade",
        help="Customers without a scenario of their own follow this one "
        "when their risk grade is within the range.",
    )
    risk_grade_to = fields.Selection(RISK_GRADES, "To Risk Grade")
    description = fields.Text(translate=True)

    # ------------------------------------------------------------------
    # CONSTRAINT
    # ------------------------------------------------------------------

    @api.constrains("risk_grade_from", "risk_grade_to")
    def _check_risk_grades(self):
        for scenario in self:
            if bool(scenario.risk_grade_from) != bool(scenario.risk_grade_to):
                raise ValidationError(
                    self.env._(
                        "Scenario %s: set both ends of the risk grade range, or neither.", scenario.name
                    )
                )
            if scenario.risk_grade_from and scenario.risk_grade_from > scenario.risk_grade_to:
                raise ValidationError(
                    self.env._("Scenario %s: the risk grade range is reversed.", scenario.name)
                )

    def _check_templates_language(self, lang):
        """Raise when a level's email or SMS template has no text in LANG (the customer's language)."""
        for level in self.level_ids:
            missing = level._get_templates_missing_language(lang)
            if missing:
                language = self.env["res.lang"]._lang_get(lang)
                raise ValidationError(
                    self.env._(
                        "Scenario %(scenario)s, level %(level)s: the template %(template)s has no text in "
                        "%(language)s. Translate it before assigning the scenario to customers who speak it.",
                        scenario=self.name,
                        level=level.name,
                        template=missing[0].display_name,
                        language=language.name if language else lang,
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        if self.env["recouvrement.dunning.communication"].search_count(
            [("level_id", "in", self.level_ids.ids)], limit=1
        ):
            raise UserError(
                self.env._("Reminders were sent with this scenario: archive it instead of deleting it.")
            )

    # ------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------

    @api.model
    def _company_has_scenario(self, company):
        """Whether COMPANY's customers can follow any scenario: the company's default, one chosen by
        risk grade, or a customer's own. Without any, a dunning run has nothing to apply."""
        if company.dunning_scenario_id:
            return True
        if self.search_count(
            [("company_id", "in", [False, company.id]), ("risk_grade_from", "!=", False)], limit=1
        ):
            return True
        partners = self.env["res.partner"].with_company(company)
        return bool(partners.search_count([("dunning_scenario_id", "!=", False)], limit=1))

    @api.model
    def _get_scenario_sql(self, company, partner):
        """SQL expression of the scenario followed by the commercial customer PARTNER (an SQL
        alias of res_partner) in COMPANY: its own, else by risk grade, else the company's default.

        Hook: extend to add assignment criteria (e.g. per sales team).
        """
        by_grade = SQL(
            """(SELECT s.id
                  FROM recouvrement_dunning_scenario s
                  JOIN recouvrement_credit_position pos
                    ON pos.partner_id = %(partner)s.id AND pos.company_id = %(company)s
                 WHERE s.active AND s.risk_grade_from IS NOT NULL
                   AND pos.risk_grade BETWEEN s.risk_grade_from AND s.risk_grade_to
                   AND (s.company_id IS NULL OR s.company_id = %(company)s)
                 ORDER BY s.sequence, s.id
                 LIMIT 1)""",
            partner=partner,
            company=company.id,
        )
        # sudo: the same scenarios as the SQL above, whoever runs it
        if not self.sudo().search_count(
            [("company_id", "in", [False, company.id]), ("risk_grade_from", "!=", False)], limit=1
        ):
            by_grade = SQL("NULL::int")  # no scenario by risk grade: no subquery per item
        return SQL(
            "COALESCE((%(partner)s.dunning_scenario_id ->> %(company_key)s)::int, %(by_grade)s, %(default)s)",
            partner=partner,
            company_key=str(company.id),
            by_grade=by_grade,
            default=company.dunning_scenario_id.id or None,
        )
