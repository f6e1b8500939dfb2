//! Text helpers shared by messages.

/// At most `max` characters, with an ellipsis when cut.
pub fn truncate(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        None => s.to_owned(),
        Some((cut, _)) => {
            let mut t = s.get(..cut).unwrap_or("").to_owned();
            t.push('…');
            t
        }
    }
}
