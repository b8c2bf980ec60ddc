/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Block ids and fixed values of the .scap ("libscap savefile") format
 * (docs: scap-format.md sections 3-10).  Shared by the reader and the writer.
 */
#ifndef FF_SCAP_H
#define FF_SCAP_H

#define FF_BT_SHB 0x0A0D0D0Au
#define FF_SHB_MAGIC 0x1A2B3C4Du
#define FF_SHB_MAGIC_SWAPPED 0x4D3C2B1Au
#define FF_SHB_MAJOR 1u
#define FF_SHB_MINOR 2u

#define FF_BT_MI 0x201u
#define FF_BT_MI_INT 0x8002ABCDu
#define FF_BT_IL 0x205u
#define FF_BT_IL_INT 0x8011ABCDu
#define FF_BT_IL_V2 0x219u
#define FF_BT_UL 0x206u
#define FF_BT_UL_INT 0x8012ABCDu
#define FF_BT_UL_V2 0x220u
#define FF_BT_PL_V1 0x202u
#define FF_BT_PL_V1_INT 0x8000ABCDu
#define FF_BT_PL_V2 0x207u
#define FF_BT_PL_V2_INT 0x8013ABCDu
#define FF_BT_PL_V3 0x209u
#define FF_BT_PL_V3_INT 0x8014ABCDu
#define FF_BT_PL_V4 0x210u
#define FF_BT_PL_V5 0x211u
#define FF_BT_PL_V6 0x212u
#define FF_BT_PL_V7 0x213u
#define FF_BT_PL_V8 0x214u
#define FF_BT_PL_V9 0x215u
#define FF_BT_FDL 0x203u
#define FF_BT_FDL_INT 0x8001ABCDu
#define FF_BT_FDL_V2 0x218u
#define FF_BT_EV 0x204u
#define FF_BT_EV_INT 0x8010ABCDu
#define FF_BT_EVF 0x208u
#define FF_BT_EV_V2 0x216u
#define FF_BT_EVF_V2 0x217u
#define FF_BT_EV_V2_LARGE 0x221u
#define FF_BT_EVF_V2_LARGE 0x222u

#define FF_MI_BODY_LEN 180u
#define FF_MI_HOSTNAME_LEN 128u
/* Non-LARGE event blocks: readers refuse a payload (total - 8) above this. */
#define FF_EV_BLOCK_MAX_PAYLOAD 65536u

#define FF_DF_STATE_ONLY 1u /* EVF dump flag: updates state, not shown */

#endif
