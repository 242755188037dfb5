/** @odoo-module **/
// The customer's collections pages driven in the browser (recouvrement_portal/tests/test_portal_tours.py
// builds the data and checks the records). Invoice names are not known here: the steps pick rows
// and options by what they show (overdue, first open invoice).

import { registry } from "@web/core/registry";

const tours = registry.category("web_tour.tours");

// A record's page loads the portal chatter lazily (its own assets, in a shadow root): a tour that
// ends on such a page waits for it, so that the browser is never closed while it is loading.
const chatterLoaded = {
    content: "The conversation with the collector is loaded",
    trigger: "#chatterRoot:shadow .o-mail-Chatter",
};

/** A date DAYS after the input's minimum (today, as the server gives it), as the input wants it. */
function dateAfterMin(input, days) {
    const date = new Date(`${input.min}T12:00:00Z`);
    date.setUTCDate(date.getUTCDate() + days);
    return date.toISOString().slice(0, 10);
}

function setValue(input, value) {
    input.value = value;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new Event("change", { bubbles: true }));
}

/** Choose the first invoice of a multiple select (the first open invoice of the statement). */
function selectFirstOption() {
    for (const option of this.anchor.options) {
        option.selected = false;
    }
    this.anchor.options[0].selected = true;
    this.anchor.dispatchEvent(new Event("change", { bubbles: true }));
}

/** On the payment page: pay with the demo provider, successfully; lands back on the statement. */
function payWithDemoSteps() {
    return [
        {
            content: "The payment page shows what is left to pay",
            trigger: ".o_collections_pay .o_collections_pay_amount",
        },
        {
            content: "Choose the demo payment method",
            trigger: 'input[name="o_payment_radio"][data-payment-method-code="demo"]',
            run: "click",
        },
        {
            content: "Enter test card details",
            trigger: "input#customer_input:visible",
            run: "edit 4242424242424242",
        },
        {
            content: "Simulate a successful payment",
            trigger: "select#simulated_payment_state:visible",
            run: "select done",
        },
        {
            content: "Pay",
            trigger: 'button[name="o_payment_submit_button"]:enabled',
            run: "click",
        },
        {
            content: "Back on the statement, thanked for the payment",
            trigger: ".o_collections_statement .o_collections_done",
        },
    ];
}

function promiseSteps(amount) {
    return [
        {
            content: "Promise to pay: the first open invoice",
            trigger: "form.o_collections_promise_form select[name=move_ids]",
            run: selectFirstOption,
        },
        {
            content: "Promise to pay: in a week",
            trigger: "form.o_collections_promise_form input[name=date]",
            run() {
                setValue(this.anchor, dateAfterMin(this.anchor, 7));
            },
        },
        {
            content: "Promise to pay: the amount",
            trigger: "form.o_collections_promise_form input[name=amount]",
            run: `edit ${amount}`,
        },
        {
            content: "Send the promise",
            trigger: "form.o_collections_promise_form button[type=submit]",
            run: "click",
        },
        {
            content: "The promise's page thanks the customer",
            trigger: ".o_collections_record:has(.o_collections_done) h2:contains(Promise to pay)",
        },
        chatterLoaded,
    ];
}

function planRequestSteps() {
    return [
        {
            content: "Payment plan: the first open invoice",
            trigger: "form.o_collections_plan_form select[name=move_ids]",
            run: selectFirstOption,
        },
        {
            content: "Payment plan: two instalments",
            trigger: "form.o_collections_plan_form input[name=instalment_count]",
            run: "edit 2",
        },
        {
            content: "Payment plan: the first one in a week",
            trigger: "form.o_collections_plan_form input[name=date_first]",
            run() {
                setValue(this.anchor, dateAfterMin(this.anchor, 7));
            },
        },
        {
            content: "Payment plan: monthly",
            trigger: "form.o_collections_plan_form select[name=interval]",
            run: "select month",
        },
        {
            content: "Send the request",
            trigger: "form.o_collections_plan_form button[type=submit]",
            run: "click",
        },
        {
            content: "The plan's page confirms the request",
            trigger: ".o_collections_record:has(.o_collections_done) .o_collections_instalments",
        },
    ];
}

function planSignSteps() {
    return [
        {
            content: "The approved plan asks for a signature",
            trigger: ".o_collections_sign button.o_collections_sign_open",
            run: "click",
        },
        {
            content: "Sign with the name filled in",
            trigger: "#o_collections_sign_modal.show .o_portal_sign_submit:enabled",
            run: "click",
        },
        {
            content: "The signed plan is in force",
            trigger: ".o_collections_record .o_collections_done:contains(signed)",
        },
        chatterLoaded,
    ];
}

tours.add("recouvrement_portal_pay_two_invoices", {
    url: "/my/collections",
    steps: () => [
        {
            content: "Tick an overdue invoice",
            trigger: ".o_collections_items tr:has(td.text-danger) input[name=move_ids]:not(:checked)",
            run: "check",
        },
        {
            content: "Tick the other overdue invoice",
            trigger: ".o_collections_items tr:has(td.text-danger) input[name=move_ids]:not(:checked)",
            run: "check",
        },
        {
            content: "Pay the two selected invoices",
            trigger: "button.o_collections_pay_selected",
            run: "click",
        },
        {
            content: "What is left to pay on the two (1,000.00 + 400.00), not their total",
            trigger: ".o_collections_pay_amount:contains('1,400.00')",
        },
        ...payWithDemoSteps(),
        {
            content: "The paid invoices have left the overdue items",
            trigger: ".o_collections_statement:not(:has(.o_collections_pay_overdue))",
        },
    ],
});

tours.add("recouvrement_portal_dispute_with_attachment", {
    url: "/my/collections",
    steps: () => [
        {
            content: "Dispute: the reason",
            trigger: "form.o_collections_dispute_form select[name=category]",
            run: "select quantity",
        },
        {
            content: "Dispute: what is contested",
            trigger: "form.o_collections_dispute_form textarea[name=message]",
            run: "edit Two doors are missing from the delivery.",
        },
        {
            content: "Dispute: attach the delivery note",
            trigger: "form.o_collections_dispute_form input[type=file][name=attachments]",
            run() {
                const transfer = new DataTransfer();
                transfer.items.add(
                    new File(["Delivery note: 8 doors ordered, 6 delivered."], "delivery-note.txt", {
                        type: "text/plain",
                    })
                );
                this.anchor.files = transfer.files;
                this.anchor.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "Open the dispute",
            trigger: "form.o_collections_dispute_form button[type=submit]",
            run: "click",
        },
        {
            content: "The dispute's page confirms it",
            trigger: ".o_collections_record:has(.o_collections_done) h2:contains(Dispute)",
        },
        chatterLoaded,
    ],
});

tours.add("recouvrement_portal_promise", {
    url: "/my/collections",
    steps: () => promiseSteps(250),
});

tours.add("recouvrement_portal_plan_auto_approved", {
    url: "/my/collections",
    steps: () => [...planRequestSteps(), ...planSignSteps()],
});

tours.add("recouvrement_portal_plan_request_pending", {
    url: "/my/collections",
    steps: () => [
        ...planRequestSteps(),
        {
            content: "Waiting for a collector: nothing to sign yet",
            trigger: ".o_collections_record:not(:has(.o_collections_sign))",
        },
        chatterLoaded,
    ],
});

tours.add("recouvrement_portal_plan_sign", {
    steps: () => planSignSteps(),
});

tours.add("recouvrement_portal_link_without_login", {
    steps: () => [
        {
            content: "The link opens the statement without a login",
            trigger: ".o_collections_statement .o_collections_items",
        },
        {
            content: "Pay everything overdue",
            trigger: "a.o_collections_pay_overdue",
            run: "click",
        },
        ...payWithDemoSteps(),
        ...promiseSteps(300),
    ],
});
