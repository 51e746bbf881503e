//! The policy's vocabulary as types: categories, tiers, emergency levels, channels, roles.
//!
//! These sets are fixed by the policy document itself (docs/policy.md §2, §3, §4.1, §7); what a company
//! may change about them (labels, rules, routing, deadlines) lives in the policy file.

pub mod clocks;
pub mod commands;
pub mod limits;
pub mod provenance;

pub use clocks::{ClockKind, ClockStart};
pub use commands::CommandKind;
pub use provenance::{ModelRef, PolicyRef};

use caseflow_derive::Read;
use std::fmt;
use std::str::FromStr;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Declares a closed string-valued enum with its wire names in one place, so that serde, the
/// JSON Schema, `FromStr`, `Display` and the `ALL` list can never disagree.
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident { $( $(#[$vmeta:meta])* $variant:ident = $wire:literal ),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $wire)] $variant ),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The identifier used in JSON.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $wire),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = UnknownName;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($wire => Ok($name::$variant),)+
                    _ => Err(UnknownName {
                        kind: stringify!($name),
                        name: s.to_owned(),
                        expected: &[$($wire),+],
                    }),
                }
            }
        }
    };
}

/// A name that is not one of a closed set's identifiers.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} `{name}`, expected one of: {}", expected.join(", "))]
pub struct UnknownName {
    /// Which set was searched, e.g. `Role`.
    pub kind: &'static str,
    /// The name given.
    pub name: String,
    /// The names that would have been accepted.
    pub expected: &'static [&'static str],
}

wire_enum! {
    /// Problem category (问题分类, docs/policy.md §3.1).
    pub enum Category {
        /// 技术问题: design, workmanship, materials.
        Technical = "technical",
        /// 进度问题: delays, unreasonable schedules.
        Schedule = "schedule",
        /// 质量问题: the built work fails standards or the contract.
        Quality = "quality",
        /// 服务问题: the team's attitude or efficiency.
        Service = "service",
        /// 其他问题: surroundings, ancillary facilities, anything else.
        Other = "other",
    }
}

wire_enum! {
    /// How a report reached the company (收集渠道, docs/policy.md §2).
    pub enum Channel {
        /// 现场反馈.
        OnSite = "on_site",
        /// 电话/客服热线.
        Phone = "phone",
        /// 书面: letter, email.
        Written = "written",
        /// 线上平台: website, WeChat official account.
        Online = "online",
    }
}

wire_enum! {
    /// A role in the handling process (docs/policy.md §4.1). The host says which roles an actor holds.
    pub enum Role {
        /// 收集人员/客服: records reports.
        IntakeClerk = "intake_clerk",
        /// 项目负责人: owns the case end to end.
        ProjectLeader = "project_leader",
        /// 项目技术负责人: drafts tier-2 plans.
        TechnicalLead = "technical_lead",
        /// 施工班组长: drafts tier-2 plans, carries out work.
        Foreman = "foreman",
        /// 项目现场管理人员: drafts tier-3 plans.
        SiteManager = "site_manager",
        /// 项目经理: approves tier-2 plans.
        ProjectManager = "project_manager",
        /// 公司技术/质量/安全部门专家: consults on tier-1 cases.
        CompanyExpert = "company_expert",
        /// 公司领导: approves tier-1 plans.
        CompanyLeadership = "company_leadership",
        /// 公司技术部门: verifies tier-1 work.
        TechnicalDept = "technical_dept",
        /// 公司质量部门: verifies tier-1 work, supervises handling.
        QualityDept = "quality_dept",
        /// 客户: confirms or rejects the result.
        Customer = "customer",
    }
}

wire_enum! {
    /// A company department whose experts take part in a tier-1 consultation (会诊).
    pub enum Department {
        /// 技术部门.
        Technical = "technical",
        /// 质量部门.
        Quality = "quality",
        /// 安全部门.
        Safety = "safety",
    }
}

wire_enum! {
    /// Emergency level of docs/policy.md §7; level I is the most serious.
    pub enum EmergencyLevel {
        /// Ⅰ级: commanded by the emergency leading group under the general manager.
        I = "I",
        /// Ⅱ级: commanded by the deputy general manager in charge.
        II = "II",
        /// Ⅲ级: commanded by the project manager.
        III = "III",
    }
}

impl EmergencyLevel {
    /// True when `self` is more serious than `other` (I is more serious than II).
    pub fn is_more_serious_than(self, other: EmergencyLevel) -> bool {
        self < other
    }
}

wire_enum! {
    /// A part of the works with its own minimum warranty period (docs/policy.md §1.1, after
    /// 《建设工程质量管理条例》第四十条). Each element's period is policy data (`warranty`).
    pub enum WarrantyElement {
        /// 地基基础工程和主体结构工程: foundations and the main structure.
        FoundationsAndStructure = "foundations_and_structure",
        /// 屋面防水、有防水要求的卫生间、房间和外墙面的防渗漏: roof waterproofing, waterproofed
        /// bathrooms and rooms, seepage through external walls.
        Waterproofing = "waterproofing",
        /// 供热系统: heating.
        Heating = "heating",
        /// 供冷系统: cooling.
        Cooling = "cooling",
        /// 电气管线、给排水管道、设备安装: electrical wiring, water supply and drainage pipes,
        /// equipment.
        Installations = "installations",
        /// 装修工程: decoration.
        Decoration = "decoration",
        /// 其他项目: anything else, as contracted.
        Other = "other",
    }
}

wire_enum! {
    /// Whether a report is under warranty (docs/policy.md §1.1).
    pub enum WarrantyStatus {
        /// Within warranty, or within scope before the completion acceptance.
        Within = "within",
        /// The period has ended: the case is a service request.
        Expired = "expired",
        /// The element is not known and the answer depends on it.
        Unknown = "unknown",
    }
}

wire_enum! {
    /// How a warranty answer was reached.
    pub enum WarrantyBasis {
        /// The project had not passed its completion acceptance by the day judged: within scope.
        NotAccepted = "not_accepted",
        /// The element the clerk named.
        Clerk = "clerk",
        /// The element the engine found in the report (the latest-ending, when it found several).
        Rules = "rules",
        /// No element was found, but every element's period gives the same answer.
        EveryElement = "every_element",
        /// No element was found and the periods disagree: the answer is `unknown`.
        Undetermined = "undetermined",
    }
}

/// Problem tier (问题等级, docs/policy.md §3.2). Written in JSON as the number 1, 2 or 3; tier 1 is the
/// most serious.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub enum Tier {
    /// 一级问题: seriously affects quality, safety or delivery.
    One,
    /// 二级问题: some impact, fixable in a short time.
    Two,
    /// 三级问题: details.
    Three,
}

impl JsonSchema for Tier {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Tier".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "Problem tier: 1 (most serious), 2 or 3.",
            "type": "integer",
            "enum": [1, 2, 3]
        })
    }
}

impl Tier {
    /// Every tier, most serious first.
    pub const ALL: &'static [Tier] = &[Tier::One, Tier::Two, Tier::Three];

    /// The tier's number: 1, 2 or 3.
    pub fn number(self) -> u8 {
        match self {
            Tier::One => 1,
            Tier::Two => 2,
            Tier::Three => 3,
        }
    }

    /// The tier from its number.
    pub fn from_number(n: u8) -> Option<Tier> {
        match n {
            1 => Some(Tier::One),
            2 => Some(Tier::Two),
            3 => Some(Tier::Three),
            _ => None,
        }
    }

    /// One tier more serious (3→2, 2→1); tier 1 stays tier 1 (docs/policy.md §3.4).
    pub fn raised(self) -> Tier {
        match self {
            Tier::One | Tier::Two => Tier::One,
            Tier::Three => Tier::Two,
        }
    }

    /// True when `self` is more serious than `other` (tier 1 is more serious than tier 2).
    pub fn is_more_serious_than(self, other: Tier) -> bool {
        self < other
    }
}

impl From<Tier> for u8 {
    fn from(tier: Tier) -> u8 {
        tier.number()
    }
}

impl TryFrom<u8> for Tier {
    type Error = String;
    fn try_from(n: u8) -> Result<Self, Self::Error> {
        Tier::from_number(n).ok_or_else(|| format!("tier must be 1, 2 or 3, not {n}"))
    }
}

impl fmt::Display for Tier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.number())
    }
}

impl FromStr for Tier {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.parse::<u8>()
            .ok()
            .and_then(Tier::from_number)
            .ok_or_else(|| UnknownName {
                kind: "Tier",
                name: s.to_owned(),
                expected: &["1", "2", "3"],
            })
    }
}

/// Labels in the two languages the company works in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema, Read)]
#[serde(deny_unknown_fields)]
#[read(values)]
pub struct Labels {
    /// Chinese label, e.g. `质量问题`.
    pub zh: String,
    /// English label, e.g. `Quality`.
    pub en: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_round_trip_through_json_and_from_str() {
        for role in Role::ALL {
            let json = serde_json::to_string(role).unwrap();
            assert_eq!(json, format!("\"{}\"", role.as_str()));
            assert_eq!(role.as_str().parse::<Role>().unwrap(), *role);
        }
        assert_eq!(serde_json::to_string(&Tier::Two).unwrap(), "2");
        assert_eq!(serde_json::from_str::<Tier>("1").unwrap(), Tier::One);
        assert!(serde_json::from_str::<Tier>("4").is_err());
    }

    #[test]
    fn unknown_names_list_what_is_accepted() {
        let err = "manager".parse::<Role>().unwrap_err();
        assert!(err.to_string().contains("project_manager"), "{err}");
    }

    #[test]
    fn raising_a_tier_moves_towards_tier_one() {
        assert_eq!(Tier::Three.raised(), Tier::Two);
        assert_eq!(Tier::Two.raised(), Tier::One);
        assert_eq!(Tier::One.raised(), Tier::One);
        assert!(Tier::One.is_more_serious_than(Tier::Two));
        assert!(EmergencyLevel::I.is_more_serious_than(EmergencyLevel::III));
    }
}
