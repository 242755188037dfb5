{
    "name": "Recouvrement – Legal collection",
    "summary": "Legal cases, procedures, deadlines, prescription, costs, doubtful debts",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/recouvrement/recouvrement",
    "author": "Recouvrement",
    "maintainers": ["recouvrement"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["recouvrement_credit"],
    "data": [
        "views/legal_actions.xml",
        "views/legal_menus.xml",
    ],
    "installable": True,
}
