//! `gachi-contract-server --channel naver|coupang|11st|esm [--bind 127.0.0.1:0]`: one marketplace stand-in
//! for the browser tests. Prints `listening on URL` once it accepts requests, then serves until
//! killed. Test credentials: see the crate's constants.

use std::net::SocketAddr;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut channel = String::from("naver");
    let mut bind = SocketAddr::from(([127, 0, 0, 1], 0));
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--channel" => channel = args.next().unwrap_or_default(),
            "--bind" => match args.next().and_then(|b| b.parse().ok()) {
                Some(address) => bind = address,
                None => fail("--bind needs HOST:PORT"),
            },
            other => fail(&format!("unknown argument {other}")),
        }
    }
    let url = match channel.as_str() {
        "naver" => gachi_contract::naver_server_on(Vec::new(), bind).await.0,
        "coupang" => gachi_contract::coupang_server_on(Vec::new(), bind).await.0,
        "11st" => gachi_contract::elevenst_server_on(Vec::new(), bind).await.0,
        "esm" => gachi_contract::esm_server_on(Vec::new(), bind).await.0,
        other => fail(&format!(
            "no contract server for {other}: naver, coupang, 11st or esm"
        )),
    };
    println!("listening on {url}");
    std::future::pending::<()>().await;
}

fn fail(message: &str) -> ! {
    eprintln!("gachi-contract-server: {message}");
    std::process::exit(2);
}
