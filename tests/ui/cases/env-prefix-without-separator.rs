use settings_core::Settings;

#[derive(Settings)]
#[settings(env_prefix = "SVC")]
struct Svc {
    port: u16,
}

fn main() {}
