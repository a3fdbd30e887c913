//! Words after a number in English and Russian: "1 minute, 2 minutes"; "1 минуту, 2 минуты, 5 минут".
//!
//! The rules are CLDR's cardinal plural rules for whole numbers: English has one form for 1 and
//! another for every other number; Russian has three, chosen by the last one or two digits.

use crate::messages::Lang;

/// Which of its three forms a Russian word takes after a whole number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RuPlural {
    /// 1, 21, 31, 101… but not 11, 111: "1 минута", "21 пользователь".
    One,
    /// 2–4, 22–24, 102… but not 12–14: "2 минуты", "3 пользователя".
    Few,
    /// 0, 5–20, 25–30, 111…: "5 минут", "11 пользователей".
    Many,
}

impl RuPlural {
    pub const fn of(n: u64) -> RuPlural {
        let (last, last_two) = (n % 10, n % 100);
        if last == 1 && last_two != 11 {
            RuPlural::One
        } else if matches!(last, 2..=4) && !matches!(last_two, 12..=14) {
            RuPlural::Few
        } else {
            RuPlural::Many
        }
    }
}

/// A word's forms after a number, in both languages. The grammatical case of the Russian forms is
/// the sentence's: "через 1 минуту" wants the accusative, "1 пользователь" the nominative.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counted {
    /// For 1, and for every other number.
    pub en: [&'static str; 2],
    /// [`RuPlural::One`], [`RuPlural::Few`] and [`RuPlural::Many`].
    pub ru: [&'static str; 3],
}

impl Counted {
    /// The form of the word that goes after `n`.
    pub const fn word(&self, n: u64, lang: Lang) -> &'static str {
        match lang {
            Lang::En if n == 1 => self.en[0],
            Lang::En => self.en[1],
            Lang::Ru => match RuPlural::of(n) {
                RuPlural::One => self.ru[0],
                RuPlural::Few => self.ru[1],
                RuPlural::Many => self.ru[2],
            },
        }
    }

    /// The number and the word after it, e.g. "5 минут".
    pub fn count(&self, n: u64, lang: Lang) -> String {
        format!("{n} {}", self.word(n, lang))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    const MINUTES: Counted = Counted {
        en: ["minute", "minutes"],
        ru: ["минуту", "минуты", "минут"],
    };

    #[test]
    fn russian_numbers_take_one_few_or_many_by_their_last_digits() {
        let one = [1, 21, 31, 101, 121, 1001, 1_000_001];
        let few = [2, 3, 4, 22, 23, 24, 102, 104, 1002, 1_000_003];
        let many = [
            0, 5, 9, 10, 11, 12, 13, 14, 15, 19, 20, 25, 100, 111, 112, 114, 1011,
        ];
        for n in one {
            assert_eq!(RuPlural::of(n), RuPlural::One, "{n}");
        }
        for n in few {
            assert_eq!(RuPlural::of(n), RuPlural::Few, "{n}");
        }
        for n in many {
            assert_eq!(RuPlural::of(n), RuPlural::Many, "{n}");
        }
        assert_eq!(RuPlural::of(u64::MAX), RuPlural::Many, "…615");
    }

    #[test]
    fn a_count_is_worded_in_either_language() {
        let ru: Vec<String> = [1, 2, 5, 11, 15, 21, 22]
            .iter()
            .map(|&n| MINUTES.count(n, Lang::Ru))
            .collect();
        assert_eq!(
            ru,
            [
                "1 минуту",
                "2 минуты",
                "5 минут",
                "11 минут",
                "15 минут",
                "21 минуту",
                "22 минуты"
            ]
        );
        let en: Vec<String> = [0, 1, 2, 21]
            .iter()
            .map(|&n| MINUTES.count(n, Lang::En))
            .collect();
        assert_eq!(en, ["0 minutes", "1 minute", "2 minutes", "21 minutes"]);
    }
}
