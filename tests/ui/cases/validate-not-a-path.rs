use settings_core::Settings;

fn even(v: &u32) -> Result<(), String> {
    if v % 2 == 0 {
        Ok(())
    } else {
        Err("odd".into())
    }
}

#[derive(Settings)]
struct App {
    #[settings(validate = "even")]
    workers: u32,
}

fn main() {
    let _ = even;
}
