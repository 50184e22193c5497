//! The driving shared by every flow and session on `ureq`: a protocol flow's steps carried out
//! (send what it asks, wait when it says, sign when it needs a token) and a session's calls.

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use super::session::Response;
use super::transport::exchange;
use crate::protocol::{
    CallOutcome, ClientError, ClientManagedLogin, ClientManagedState, ClientManagedStep,
    HttpRequest, HttpResponse, LoginFlow, LoginStep, SessionState, TokenFlow, TokenStep,
};

/// What a flow's step asks of the driver.
pub(super) enum Next<T> {
    /// Sign a token for the flow.
    Sign,
    /// Send this request.
    Send(HttpRequest),
    /// Wait this long, then say so.
    Wait(Duration),
    /// The flow's result.
    Done(T),
    /// The flow's error.
    Failed(ClientError),
}

/// A sans-IO flow of the protocol, as the driver sees it.
pub(super) trait Flow {
    /// The flow's own step type.
    type Step;
    /// What the flow ends with.
    type Done;
    /// What `step` asks of the driver.
    fn next(step: Self::Step) -> Next<Self::Done>;
    /// Takes in the answer to the request sent.
    fn receive(&mut self, response: &HttpResponse) -> Self::Step;
    /// Takes in that the request got no answer.
    fn unreachable(&mut self, message: &str) -> Self::Step;
    /// Takes in that the wait is over.
    fn waited(&mut self) -> Self::Step;
}

/// Carries out `flow` from `first` on `agent`; `sign` answers its `Sign` steps.
pub(super) fn drive<F: Flow>(
    agent: &ureq::Agent,
    flow: &mut F,
    first: F::Step,
    mut sign: impl FnMut(&mut F) -> Result<F::Step, ClientError>,
) -> Result<F::Done, ClientError> {
    let mut step = first;
    loop {
        step = match F::next(step) {
            Next::Sign => sign(flow)?,
            Next::Send(request) => match exchange(agent, &request, request.body.clone()) {
                Ok(answer) => flow.receive(&answer),
                Err(message) => flow.unreachable(&message),
            },
            Next::Wait(delay) => {
                std::thread::sleep(delay);
                flow.waited()
            }
            Next::Done(done) => return Ok(done),
            Next::Failed(error) => return Err(error),
        };
    }
}

/// A logged-in session's state, as the calls see it.
pub(super) trait CallState {
    /// The request for `method path`, without its body.
    fn request(
        &self,
        method: &str,
        path: &str,
        json_body: bool,
    ) -> Result<HttpRequest, ClientError>;
    /// Takes in the answer to the request sent to `url`.
    fn receive(&mut self, url: &str, status: u16, headers: &[(String, String)]) -> CallOutcome;
    /// The error of a refused call.
    fn refusal(status: u16, body: &str) -> ClientError;
}

/// The session state behind `state`'s lock.
pub(super) fn locked<S>(state: &Mutex<S>) -> MutexGuard<'_, S> {
    // The state is whole after any panic elsewhere: each change is one assignment.
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

/// `method path` with the session in `state`, and `body` as JSON when given.
pub(super) fn call<S: CallState>(
    agent: &ureq::Agent,
    state: &Mutex<S>,
    method: &str,
    path: &str,
    body: Option<&serde_json::Value>,
) -> Result<Response, ClientError> {
    let request = locked(state).request(method, path, body.is_some())?;
    let payload = body
        .map(|json| serde_json::to_vec(json).unwrap_or_default())
        .unwrap_or_default();
    let answer = exchange(agent, &request, payload).map_err(ClientError::Transport)?;
    let outcome = locked(state).receive(&request.url, answer.status, &answer.headers);
    match outcome {
        CallOutcome::Accepted => Ok(Response {
            status: answer.status,
            headers: answer.headers,
            body: answer.body,
        }),
        CallOutcome::Refused => Err(S::refusal(answer.status, &answer.body)),
    }
}

/// Implements [`Flow`] for a protocol flow whose steps are named alike.
macro_rules! flow {
    ($flow:ty, $step:ident, $done:ty, sign: $($sign:tt)*) => {
        impl Flow for $flow {
            type Step = $step;
            type Done = $done;
            fn next(step: $step) -> Next<$done> {
                match step {
                    $($sign)*
                    $step::Send(request) => Next::Send(request),
                    $step::Wait(delay) => Next::Wait(delay),
                    $step::Done(done) => Next::Done(done),
                    $step::Failed(error) => Next::Failed(error),
                }
            }
            fn receive(&mut self, response: &HttpResponse) -> $step {
                <$flow>::receive(self, response)
            }
            fn unreachable(&mut self, message: &str) -> $step {
                <$flow>::unreachable(self, message)
            }
            fn waited(&mut self) -> $step {
                <$flow>::waited(self)
            }
        }
    };
}

flow!(LoginFlow, LoginStep, Box<SessionState>, sign: LoginStep::Sign => Next::Sign,);
flow!(TokenFlow, TokenStep, crate::protocol::AccessToken, sign: TokenStep::Sign => Next::Sign,);
flow!(ClientManagedLogin, ClientManagedStep, Box<ClientManagedState>, sign:);

/// Implements [`CallState`] for a protocol session state.
macro_rules! call_state {
    ($state:ty) => {
        impl CallState for $state {
            fn request(
                &self,
                method: &str,
                path: &str,
                json_body: bool,
            ) -> Result<HttpRequest, ClientError> {
                <$state>::request(self, method, path, json_body)
            }
            fn receive(
                &mut self,
                url: &str,
                status: u16,
                headers: &[(String, String)],
            ) -> CallOutcome {
                <$state>::receive(self, url, status, headers)
            }
            fn refusal(status: u16, body: &str) -> ClientError {
                <$state>::refusal(status, body)
            }
        }
    };
}

call_state!(SessionState);
call_state!(ClientManagedState);
