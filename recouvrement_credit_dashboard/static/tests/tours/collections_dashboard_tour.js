import { registry } from "@web/core/registry";

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
            trigger: ".o_spreadsheet_dashboard_action .o_renderer .o-spreadsheet",
        },
    ],
});
