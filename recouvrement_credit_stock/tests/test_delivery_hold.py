from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.recouvrement_credit.tests.credit_common import TODAY, CreditCommon


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestDeliveryHold(CreditCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._rule("manual_block", sale_effect="none", delivery_effect="block")
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.product = cls.env["product.product"].create({"name": "Porte en chêne", "is_storable": True})
        cls.env["stock.quant"]._update_available_quantity(cls.product, cls.warehouse.lot_stock_id, 10)
        cls.stock_user = cls._new_user("stock_user", "stock.group_stock_user")

    def _picking(self, picking_type):
        picking = self.env["stock.picking"].create(
            {
                "partner_id": self.customer.id,
                "picking_type_id": picking_type.id,
                "move_ids": [
                    (0, 0, {"name": "Porte", "product_id": self.product.id, "product_uom_qty": 1,
                            "location_id": picking_type.default_location_src_id.id,
                            "location_dest_id": picking_type.default_location_dest_id.id
                            or self.env.ref("stock.stock_location_customers").id})
                ],
            }
        )  # fmt: skip
        picking.action_confirm()
        picking.move_ids.quantity = 1
        picking.move_ids.picked = True
        return picking

    def _block_customer(self):
        self.customer.with_user(self.manager).write(
            {"credit_blocked": True, "credit_block_reason": "Litige en cours"}
        )

    def test_delivery_to_a_blocked_customer_is_held(self):
        self._block_customer()
        delivery = self._picking(self.warehouse.out_type_id)
        with self.assertRaisesRegex(UserError, "Litige en cours"):
            delivery.with_user(self.stock_user).button_validate()
        self.assertNotEqual(delivery.state, "done")

    def test_receipts_are_never_held(self):
        self._block_customer()
        receipt = self._picking(self.warehouse.in_type_id)
        receipt.with_user(self.stock_user).button_validate()
        self.assertEqual(receipt.state, "done")

    def test_exception_lets_the_delivery_go(self):
        self._block_customer()
        delivery = self._picking(self.warehouse.out_type_id)
        action = delivery.with_user(self.manager).button_validate()
        self.assertEqual(action["res_model"], "recouvrement.credit.exception.grant")
        self.env["recouvrement.credit.exception"].with_user(self.manager).create(
            {
                "partner_id": self.customer.id,
                "scope": "document",
                "document_ref": f"stock.picking,{delivery.id}",
                "reason": "Livraison urgente autorisée",
            }
        )
        delivery.with_user(self.stock_user).button_validate()
        self.assertEqual(delivery.state, "done")

    def test_ok_customer_delivers(self):
        delivery = self._picking(self.warehouse.out_type_id)
        delivery.with_user(self.stock_user).button_validate()
        self.assertEqual(delivery.state, "done")
