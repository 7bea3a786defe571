use settings_core::{Secret, Settings};

#[derive(Settings)]
struct App {
    #[settings(secret, default = "hunter2", len(min = 12))]
    password: String,
    #[settings(default = "s3cr3t", regex = "^[a-z]+$")]
    token: Secret<String>,
    #[settings(secret, default = 7, range(min = 1000))]
    pin: u32,
}

fn main() {}
