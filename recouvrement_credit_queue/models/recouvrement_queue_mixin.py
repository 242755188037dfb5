import odoo
from odoo import api, models

USE_JOBS_PARAM = "recouvrement_credit_queue.use_jobs"


class RecouvrementQueueMixin(models.AbstractModel):
    """Whether the scheduled dunning hands its work to queue_job, for the models that do."""

    _name = "recouvrement.queue.mixin"
    _description = "Dunning work through queue jobs"

    @api.model
    def _use_queue_jobs(self):
        """True when a job runner will run the jobs: queue_job loaded server-wide (the runner starts
        with the Odoo server). A runner started on its own (``python -m odoo.addons.queue_job.jobrunner``)
        is declared with the system parameter ``recouvrement_credit_queue.use_jobs`` = 1; 0 keeps the
        scheduled actions doing the work themselves. The context key ``recouvrement_queue_jobs``
        decides for one call. Without a runner, enqueued jobs would wait for ever: the work is then
        done by the scheduled actions, as without this addon."""
        forced = self.env.context.get("recouvrement_queue_jobs")
        if forced is not None:
            return bool(forced)
        param = self.env["ir.config_parameter"].sudo().get_param(USE_JOBS_PARAM)
        if param:
            return param.strip().lower() not in ("0", "false", "no")
        return "queue_job" in odoo.conf.server_wide_modules
