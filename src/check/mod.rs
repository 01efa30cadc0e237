//! Check kinds: their offline evaluators (simulation) and the Kubernetes semantics they
//! rest on (effective security context, admission, registry credentials).

pub mod admission;
pub mod admission_judge;
pub mod cluster_dns;
pub mod image_facts;
pub mod offline;
mod outcome;
pub mod registry;
pub mod security_context;
pub mod selects;
mod world;

pub use outcome::{Outcome, Verdict};
pub use world::World;
pub mod live;

use crate::i18n::Message;

/// `a, b, c`: messages joined with commas, each rendered in the report's language (a
/// [`Message`] list argument joins with `; `). `None` for no messages.
pub(crate) fn comma_list(items: Vec<Message>) -> Option<Message> {
    items
        .into_iter()
        .rev()
        .reduce(|tail, head| crate::msg!("check-comma-list", head = head, tail = tail))
}

/// A cluster or API error (kube's English, or kubelab's [`crate::cluster::ClusterError`])
/// as a check's message.
pub(crate) fn cluster_error(error: impl std::fmt::Display) -> Message {
    crate::msg!("check-cluster-error", error = error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn probe_lines_count_attempts_in_both_languages() {
        let shown = |attempts: u32| {
            crate::msg!(
                "check-nc-shown",
                to = "db",
                port = "6379",
                attempts = attempts,
                seconds = "1.0",
                output = "open"
            )
        };
        assert_eq!(
            shown(1).render(Lang::En),
            "`nc -zv -w 1 db 6379` (1 attempt in 1.0s): open"
        );
        assert_eq!(
            shown(3).render(Lang::En),
            "`nc -zv -w 1 db 6379` (3 attempts in 1.0s): open"
        );
        assert_eq!(
            shown(3).render(Lang::Ko),
            "`nc -zv -w 1 db 6379`(1.0초 동안 3회 시도): open"
        );
    }

    #[test]
    fn comma_lists_join_messages_rendered_in_the_language() {
        assert_eq!(comma_list(Vec::new()), None);
        let items = vec![
            crate::msg!("check-command-is", command = "id -u", value = "1000"),
            crate::msg!("check-command-is", command = "id -g", value = "3000"),
            crate::msg!("check-id-groups-include", groups = "[2000]"),
        ];
        let list = comma_list(items).unwrap();
        assert_eq!(
            list.render(Lang::En),
            "`id -u` is 1000, `id -g` is 3000, `id -G` includes [2000]"
        );
        assert_eq!(
            list.render(Lang::Ko),
            "`id -u` 결과: 1000, `id -g` 결과: 3000, `id -G` 결과에 [2000] 포함"
        );
    }
}
