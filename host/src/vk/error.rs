//! What the Vulkan calls return when they fail: the `VkResult`, and for a
//! broken valid-usage rule the VUID it breaks.
//!
//! Breaking a valid-usage rule is undefined behaviour in Vulkan; here every
//! rule these calls have is checked before anything is written, and a
//! violation is `VK_ERROR_VALIDATION_FAILED` naming the rule.

use crate::DeviceError;
use ash::vk;

/// A failed call.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum VkError {
    /// A valid-usage rule is broken: `VK_ERROR_VALIDATION_FAILED`.
    #[error("{vuid}: {detail}")]
    Invalid {
        /// The rule, e.g. `VUID-VkCopyMemoryToImageInfo-dstImage-07979`.
        vuid: String,
        /// What in the call breaks it.
        detail: String,
    },
    /// The call could not be carried out.
    #[error("{result:?}: {detail}")]
    Failed {
        /// The result code.
        result: vk::Result,
        /// Why.
        detail: String,
    },
}

impl VkError {
    /// The `VkResult` the call returns.
    pub fn result(&self) -> vk::Result {
        match self {
            VkError::Invalid { .. } => vk::Result::ERROR_VALIDATION_FAILED_EXT,
            VkError::Failed { result, .. } => *result,
        }
    }

    /// The VUID a validation failure names.
    pub fn vuid(&self) -> Option<&str> {
        match self {
            VkError::Invalid { vuid, .. } => Some(vuid),
            VkError::Failed { .. } => None,
        }
    }

    /// A broken rule.
    pub(crate) fn invalid(vuid: impl Into<String>, detail: impl Into<String>) -> Self {
        VkError::Invalid {
            vuid: vuid.into(),
            detail: detail.into(),
        }
    }

    /// A failure with `result`.
    pub(crate) fn failed(result: vk::Result, detail: impl Into<String>) -> Self {
        VkError::Failed {
            result,
            detail: detail.into(),
        }
    }

    /// A card error as the copy pages' return codes: mapping host memory
    /// for DMA → `VK_ERROR_MEMORY_MAP_FAILED`, card memory (a bounce) →
    /// `VK_ERROR_OUT_OF_DEVICE_MEMORY`, anything else the card reports →
    /// `VK_ERROR_UNKNOWN`.
    pub(crate) fn device(e: DeviceError) -> Self {
        let result = match &e {
            DeviceError::Map(_)
            | DeviceError::OutOfSpace {
                what: "IOVA space", ..
            } => vk::Result::ERROR_MEMORY_MAP_FAILED,
            DeviceError::OutOfSpace { .. } => vk::Result::ERROR_OUT_OF_DEVICE_MEMORY,
            _ => vk::Result::ERROR_UNKNOWN,
        };
        Self::failed(result, e.to_string())
    }
}

/// Result of a Vulkan call.
pub type VkResult<T> = Result<T, VkError>;

/// Checks a rule: `Err(Invalid)` naming `vuid` unless `ok`.
pub(crate) fn rule(
    ok: bool,
    vuid: impl Into<String>,
    detail: impl FnOnce() -> String,
) -> VkResult<()> {
    if ok {
        Ok(())
    } else {
        Err(VkError::invalid(vuid, detail()))
    }
}
