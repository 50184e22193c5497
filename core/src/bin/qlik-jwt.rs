//! The `qlik-jwt` command: a thin main over [`qlik_jwt::cli::run`], which the Node and Python
//! packages expose as the same command.

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let code = qlik_jwt::cli::run(args, &mut std::io::stdout(), &mut std::io::stderr());
    std::process::exit(code);
}
