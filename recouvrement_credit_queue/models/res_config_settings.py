from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    recouvrement_queue_capacity = fields.Integer(
        "Dunning Jobs at Once",
        help="Capacity of the job channel root.recouvrement: how many dunning jobs (batches of the run, "
        "sending) run at the same time on the workers; 0: as many as the root channel allows. Read by the "
        "job runner when it takes its channels from the database (no 'channels' line in the server's "
        "[queue_job] configuration).",
    )

    def get_values(self):
        values = super().get_values()
        values["recouvrement_queue_capacity"] = self._get_recouvrement_queue_channel().capacity
        return values

    def set_values(self):
        result = super().set_values()
        channel = self._get_recouvrement_queue_channel()
        capacity = max(self.recouvrement_queue_capacity, 0)
        if channel.capacity != capacity:
            channel.capacity = capacity
        return result

    def _get_recouvrement_queue_channel(self):
        # the channel is the system's configuration; this page is for settings administrators only
        return self.env.ref("recouvrement_credit_queue.channel_recouvrement").sudo()
