use settings_core::Settings;
use std::time::Duration;

#[derive(Settings)]
struct App {
    #[settings(range(min = "1 fortnight", max = "1h"))]
    timeout: Duration,
    #[settings(range(min = "1h", max = "30m"))]
    interval: Duration,
    #[settings(default = "2h", range(max = "1h"))]
    ttl: Duration,
    #[settings(default = "soon")]
    grace: Duration,
}

fn main() {}
