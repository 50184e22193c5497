//! What every local server class (`LocalTenant`, `LocalClientManagedTenant`) does the same way
//! around the core's server in its `tenant: Mutex<Option<_>>`: say whether it runs, stop it
//! once, and serve as a context manager.

/// The ``#[pymethods]`` of a local server class `$class`: its own methods (`$own`) and
/// ``running``, ``close`` (documented `$close_doc`), ``__enter__`` and ``__exit__``.
macro_rules! running_methods {
    ($class:ident, $running_doc:literal, $close_doc:literal, { $($own:tt)* }) => {
        #[pymethods]
        impl $class {
            $($own)*

            #[doc = $running_doc]
            #[getter]
            fn running(&self) -> bool {
                self.tenant
                    .lock()
                    .map(|tenant| tenant.is_some())
                    .unwrap_or(false)
            }

            #[doc = $close_doc]
            fn close(&self, py: Python<'_>) {
                let tenant = match self.tenant.lock() {
                    Ok(mut tenant) => tenant.take(),
                    Err(poisoned) => poisoned.into_inner().take(),
                };
                if let Some(tenant) = tenant {
                    py.detach(|| tenant.shutdown());
                }
            }

            fn __enter__(slf: Py<Self>) -> Py<Self> {
                slf
            }

            #[pyo3(signature = (*_exc_info))]
            fn __exit__(
                &self,
                py: Python<'_>,
                _exc_info: &Bound<'_, pyo3::types::PyTuple>,
            ) -> bool {
                self.close(py);
                false
            }
        }
    };
}
pub(crate) use running_methods;
