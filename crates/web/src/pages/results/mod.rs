//! Results in the browser: the public hall of fame (명예의 전당) with a badge a member can show,
//! a merchant's monthly sales reports, and the program dashboard — targets against actuals,
//! the funnel with conversion rates and the 시도 breakdown on a tile map of Korea — all drawn as
//! SVG on the server (readable without JavaScript, the numbers beside them in tables), each
//! table downloadable as CSV (UTF-8 with BOM so Excel opens Korean correctly).

mod dashboard;
mod hall_of_fame;
mod sales;

pub use dashboard::{dashboard, export, export_xlsx, save_budget, save_targets};
pub use hall_of_fame::{badge, hall_of_fame, save_story};
pub use sales::{report_sales, sales};
