use settings_core::Settings;

#[derive(Settings)]
struct App {
    #[settings(default = "verbose", one_of = ["debug", "info", "warn"])]
    level: String,
    #[settings(default = ["json", "xml"], one_of(values = ["JSON", "TEXT"], ignore_case))]
    formats: Vec<String>,
}

fn main() {}
