import { registry } from "@web/core/registry";

/**
 * The spreadsheet model of the dashboard on screen: the grid and the charts are drawn on canvases,
 * so the figures are read from the model the dashboard action loaded.
 */
function getDashboardModel() {
    const nodes = [odoo.__WOWL_DEBUG__.root.__owl__];
    while (nodes.length) {
        const node = nodes.pop();
        const model = node.component?.state?.activeDashboard?.model;
        if (model) {
            return model;
        }
        nodes.push(...Object.values(node.children));
    }
    return null;
}

function cellValue(model, sheetName, col, row) {
    const sheetId = model.getters.getSheetIdByName(sheetName);
    return model.getters.getEvaluatedCell({ sheetId, col, row }).value;
}

/** Resolve when CONDITION returns a truthy value (the pivots load asynchronously). */
async function waitFor(condition, what) {
    for (let attempt = 0; attempt < 1200; attempt++) {
        const result = condition();
        if (result) {
            return result;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`The dashboard never showed ${what}`);
}

function check(condition, message) {
    if (!condition) {
        throw new Error(message);
    }
}

registry.category("web_tour.tours").add("recouvrement_collections_dashboard", {
    url: "/odoo/action-spreadsheet_dashboard.ir_actions_dashboard_action",
    steps: () => [
        {
            trigger: ".o_search_panel_category_value[data-name='Collections']",
            run: "click",
        },
        {
            trigger: ".o_search_panel_category_value.active[data-name='Collections']",
        },
        {
            trigger: ".o_spreadsheet_dashboard_action .o-spreadsheet .o-figure canvas",
        },
        {
            trigger: ".o_spreadsheet_dashboard_action .o-spreadsheet",
            async run() {
                const model = await waitFor(getDashboardModel, "its spreadsheet");
                // 6 headline scorecards, the DSO trend and the aged balance
                await waitFor(
                    () => document.querySelectorAll(".o-spreadsheet .o-figure canvas").length === 8,
                    "its charts"
                );
                // Data!B2: amount due; the fixture leaves one invoice of 250 open, 10 days late
                const amountDue = await waitFor(() => {
                    const value = cellValue(model, "Data", 1, 1);
                    return typeof value === "number" && value;
                }, "the amount due");
                check(amountDue === 250, `amount due ${amountDue}, expected 250`);
                const overdue = await waitFor(() => {
                    const value = cellValue(model, "Data", 1, 2);
                    return typeof value === "number" && value;
                }, "the amount overdue");
                check(overdue === 250, `amount overdue ${overdue}, expected 250`);
                // DSO trend: 12 months of 3-month DSO, positive from the month of the invoice
                const dso = await waitFor(() => {
                    const values = [];
                    for (let row = 15; row <= 26; row++) {
                        values.push(cellValue(model, "Data", 4, row));
                    }
                    return values.every((value) => typeof value === "number") && values;
                }, "the DSO trend");
                check(dso.some((value) => value > 0), `DSO trend ${dso}`);
                // Aged balance: the 1–30 days bucket holds the invoice
                await waitFor(() => {
                    const labels = [];
                    for (let row = 31; row <= 38; row++) {
                        labels.push([cellValue(model, "Data", 0, row), cellValue(model, "Data", 1, row)]);
                    }
                    return labels.some(([label, amount]) => /30/.test(label) && amount === 250);
                }, "the aged balance by bucket");
                // Top overdue customers: the customer, its amount and its days late
                await waitFor(
                    () =>
                        cellValue(model, "Dashboard", 0, 23) === "Boulangerie Test" &&
                        cellValue(model, "Dashboard", 1, 23) === 250 &&
                        cellValue(model, "Dashboard", 2, 23) === 10,
                    "the top overdue customers"
                );
                // Dunning funnel: this month's reminder at level 1
                await waitFor(
                    () => cellValue(model, "Dashboard", 4, 23) === 1 && cellValue(model, "Dashboard", 5, 23) === 1,
                    "the dunning funnel"
                );
            },
        },
    ],
});
