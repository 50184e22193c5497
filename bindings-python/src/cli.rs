//! The `qlik-jwt` console script of the wheel (`qlik_jwt._cli:main`): the core's command,
//! writing straight to the process's stdout and stderr.

use std::io::Write as _;

use pyo3::prelude::*;

/// Adds `run_cli` to `qlik_jwt._native`.
pub fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_function(wrap_pyfunction!(run_cli, module)?)
}

/// Runs ``qlik-jwt`` with ``argv`` (the program name first) and returns the exit code. Writes
/// to file descriptors 1 and 2 directly and releases the GIL until the command ends
/// (``tenant`` runs until the process is interrupted).
#[pyfunction]
pub fn run_cli(py: Python<'_>, argv: Vec<String>) -> i32 {
    py.detach(|| {
        let mut stdout = std::io::stdout();
        let mut stderr = std::io::stderr();
        let code = qlik_jwt::cli::run(argv, &mut stdout, &mut stderr);
        let _ = stdout.flush();
        let _ = stderr.flush();
        code
    })
}
