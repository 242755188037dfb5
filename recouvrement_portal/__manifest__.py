{
    "name": "Recouvrement – Customer portal",
    "summary": "Customers pay, dispute or ask for a payment plan from the portal",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/recouvrement/recouvrement",
    "author": "Recouvrement",
    "maintainers": ["recouvrement"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["recouvrement_credit", "portal", "account_payment"],
    "demo": ["demo/portal_user_demo.xml"],
    "installable": True,
}
