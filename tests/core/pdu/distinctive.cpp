#include "tests/core/pdu/distinctive.hpp"

namespace iscsi::pdu::testing {
namespace {

const Lun kLun = Lun::from_raw(0x0102030405060708);
const Isid kIsid = Isid::make(IsidType::en, 0x2a, 0xb1b2, 0xc3, 0xd4d5);

std::vector<Header> initiator_headers() {
  std::vector<Header> headers;
  headers.push_back(NopOut{.immediate = true,
                           .lun = kLun,
                           .itt = 0x11111101,
                           .ttt = 0x11111102,
                           .cmd_sn = 0x11111103,
                           .exp_stat_sn = 0x11111104});
  headers.push_back(ScsiCommand{.immediate = true,
                                .final = false,
                                .read = true,
                                .write = true,
                                .attr = TaskAttribute::head_of_queue,
                                .lun = kLun,
                                .itt = 0x22222201,
                                .expected_data_transfer_length = 0x22222202,
                                .cmd_sn = 0x22222203,
                                .exp_stat_sn = 0x22222204,
                                .cdb = {0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9,
                                        0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf}});
  headers.push_back(TaskMgmtRequest{.immediate = false,
                                    .function = TmfFunction::target_cold_reset,
                                    .lun = kLun,
                                    .itt = 0x33333301,
                                    .referenced_task_tag = 0x33333302,
                                    .cmd_sn = 0x33333303,
                                    .exp_stat_sn = 0x33333304,
                                    .ref_cmd_sn = 0x33333305,
                                    .exp_data_sn = 0x33333306});
  headers.push_back(LoginRequest{.transit = true,
                                 .continue_ = true,
                                 .csg = Stage::login_operational_negotiation,
                                 .nsg = Stage::full_feature_phase,
                                 .version_max = 0x45,
                                 .version_min = 0x46,
                                 .isid = kIsid,
                                 .tsih = 0x4747,
                                 .itt = 0x44444401,
                                 .cid = 0x4848,
                                 .cmd_sn = 0x44444402,
                                 .exp_stat_sn = 0x44444403});
  headers.push_back(TextRequest{.immediate = true,
                                .final = false,
                                .continue_ = true,
                                .lun = kLun,
                                .itt = 0x55555501,
                                .ttt = 0x55555502,
                                .cmd_sn = 0x55555503,
                                .exp_stat_sn = 0x55555504});
  headers.push_back(ScsiDataOut{.final = true,
                                .lun = kLun,
                                .itt = 0x66666601,
                                .ttt = 0x66666602,
                                .exp_stat_sn = 0x66666603,
                                .data_sn = 0x66666604,
                                .buffer_offset = 0x66666605});
  headers.push_back(LogoutRequest{.immediate = true,
                                  .reason_code = LogoutReason::remove_connection_for_recovery,
                                  .itt = 0x77777701,
                                  .cid = 0x7702,
                                  .cmd_sn = 0x77777703,
                                  .exp_stat_sn = 0x77777704});
  headers.push_back(SnackRequest{.type = SnackType::r_data,
                                 .lun = kLun,
                                 .itt = 0x88888801,
                                 .ttt = 0x88888802,
                                 .exp_stat_sn = 0x88888803,
                                 .beg_run = 0x88888804,
                                 .run_length = 0x88888805});
  return headers;
}

std::vector<Header> target_response_headers() {
  std::vector<Header> headers;
  headers.push_back(NopIn{.lun = kLun,
                          .itt = 0x99999901,
                          .ttt = 0x99999902,
                          .stat_sn = 0x99999903,
                          .exp_cmd_sn = 0x99999904,
                          .max_cmd_sn = 0x99999905});
  headers.push_back(ScsiResponse{.bidi_read_residual_overflow = true,
                                 .bidi_read_residual_underflow = true,
                                 .residual_overflow = true,
                                 .residual_underflow = true,
                                 .response = ScsiResponseCode::target_failure,
                                 .status = 0x28,
                                 .itt = 0xaaaaaa01,
                                 .snack_tag = 0xaaaaaa02,
                                 .stat_sn = 0xaaaaaa03,
                                 .exp_cmd_sn = 0xaaaaaa04,
                                 .max_cmd_sn = 0xaaaaaa05,
                                 .exp_data_sn = 0xaaaaaa06,
                                 .bidi_read_residual_count = 0xaaaaaa07,
                                 .residual_count = 0xaaaaaa08});
  headers.push_back(TaskMgmtResponse{.response = TmfResponse::function_rejected,
                                     .itt = 0xbbbbbb01,
                                     .stat_sn = 0xbbbbbb02,
                                     .exp_cmd_sn = 0xbbbbbb03,
                                     .max_cmd_sn = 0xbbbbbb04});
  headers.push_back(LoginResponse{.transit = true,
                                  .continue_ = true,
                                  .csg = Stage::full_feature_phase,
                                  .nsg = Stage::login_operational_negotiation,
                                  .version_max = 0xc5,
                                  .version_active = 0xc6,
                                  .isid = kIsid,
                                  .tsih = 0xc7c7,
                                  .itt = 0xcccccc01,
                                  .stat_sn = 0xcccccc02,
                                  .exp_cmd_sn = 0xcccccc03,
                                  .max_cmd_sn = 0xcccccc04,
                                  .status_class = 0x03,
                                  .status_detail = 0x02});
  headers.push_back(TextResponse{.final = false,
                                 .continue_ = true,
                                 .lun = kLun,
                                 .itt = 0xdddddd01,
                                 .ttt = 0xdddddd02,
                                 .stat_sn = 0xdddddd03,
                                 .exp_cmd_sn = 0xdddddd04,
                                 .max_cmd_sn = 0xdddddd05});
  return headers;
}

std::vector<Header> target_data_and_event_headers() {
  std::vector<Header> headers;
  headers.push_back(ScsiDataIn{.final = true,
                               .acknowledge = true,
                               .residual_overflow = true,
                               .residual_underflow = true,
                               .status_present = true,
                               .status = 0x18,
                               .lun = kLun,
                               .itt = 0xeeeeee01,
                               .ttt = 0xeeeeee02,
                               .stat_sn = 0xeeeeee03,
                               .exp_cmd_sn = 0xeeeeee04,
                               .max_cmd_sn = 0xeeeeee05,
                               .data_sn = 0xeeeeee06,
                               .buffer_offset = 0xeeeeee07,
                               .residual_count = 0xeeeeee08});
  headers.push_back(LogoutResponse{.response = LogoutResponseCode::cleanup_failed,
                                   .itt = 0xffffff01,
                                   .stat_sn = 0xffffff02,
                                   .exp_cmd_sn = 0xffffff03,
                                   .max_cmd_sn = 0xffffff04,
                                   .time2wait = 0xff05,
                                   .time2retain = 0xff06});
  headers.push_back(R2t{.lun = kLun,
                        .itt = 0x12121201,
                        .ttt = 0x12121202,
                        .stat_sn = 0x12121203,
                        .exp_cmd_sn = 0x12121204,
                        .max_cmd_sn = 0x12121205,
                        .r2t_sn = 0x12121206,
                        .buffer_offset = 0x12121207,
                        .desired_data_transfer_length = 0x12121208});
  headers.push_back(AsyncMessage{.lun = kLun,
                                 .itt = 0x13131301,
                                 .stat_sn = 0x13131302,
                                 .exp_cmd_sn = 0x13131303,
                                 .max_cmd_sn = 0x13131304,
                                 .async_event = AsyncEvent::vendor_specific,
                                 .async_vcode = 0x35,
                                 .parameter1 = 0x1336,
                                 .parameter2 = 0x1337,
                                 .parameter3 = 0x1338});
  headers.push_back(Reject{.reason = RejectReason::waiting_for_logout,
                           .itt = 0x14141401,
                           .stat_sn = 0x14141402,
                           .exp_cmd_sn = 0x14141403,
                           .max_cmd_sn = 0x14141404,
                           .data_sn_r2t_sn = 0x14141405});
  return headers;
}

}  // namespace

std::vector<Header> distinctive_headers() {
  std::vector<Header> headers = initiator_headers();
  for (Header& h : target_response_headers()) headers.push_back(std::move(h));
  for (Header& h : target_data_and_event_headers()) headers.push_back(std::move(h));
  return headers;
}

}  // namespace iscsi::pdu::testing
