"""Every ReportService RPC refuses bad input with a clear status and reason (SQLite or
PostgreSQL): no period, an empty one, one of years, unknown subjects, reports and schedules,
malformed names and page tokens."""

from datetime import timedelta
from typing import Any

import grpc
import pytest
from google.protobuf.field_mask_pb2 import FieldMask
from vigie.reputation.v1 import reports_pb2 as pb

from .conftest import Reputation
from .report_fixtures import stamp
from .test_reports_api import (
    END,
    PARENT,
    START,
    TENANT,
    _refused,
    generate,
    quick,
    seed,
    service,
)

__all__ = ["quick", "service"]  # the fixtures this module borrows

NOT_FOUND, INVALID = grpc.StatusCode.NOT_FOUND, grpc.StatusCode.INVALID_ARGUMENT
NO_REPORT = f"{PARENT}/reports/01jf000000000000000000000a"
NO_SCHEDULE = f"{PARENT}/reportSchedules/01jf000000000000000000000b"


def without_period() -> pb.GenerateReportRequest:
    request = generate()
    request.ClearField("start_time")
    request.ClearField("end_time")
    return request


def years() -> pb.GenerateReportRequest:
    return generate(start_time=START - timedelta(days=3 * 365), end_time=END)


def reversed_period() -> pb.GenerateReportRequest:
    request = generate()
    request.start_time.CopyFrom(stamp(END))
    request.end_time.CopyFrom(stamp(START))
    return request


GENERATE_CASES = [
    ("GenerateReport", without_period(), INVALID, "PERIOD_REQUIRED"),
    ("GenerateReport", reversed_period(), INVALID, "EMPTY_PERIOD"),
    ("GenerateReport", years(), INVALID, "PERIOD_TOO_LONG"),
    ("GenerateReport", generate(brand="", subsidiary=f"{PARENT}/subsidiaries/nowhere"), NOT_FOUND, "SUBSIDIARY_NOT_FOUND"),
    ("GenerateReport", generate(brand="lumiere"), INVALID, "INVALID_ARGUMENT"),
]  # fmt: skip
# These need no subject known: they run before the directory's facts arrive.
CASES = [
    ("GetReport", pb.GetReportRequest(name=NO_REPORT), NOT_FOUND, "REPORT_NOT_FOUND"),
    ("GetReport", pb.GetReportRequest(name="reports/x"), INVALID, "INVALID_ARGUMENT"),
    ("ListReports", pb.ListReportsRequest(parent=PARENT, page_token="not-a-token"), INVALID, "INVALID_ARGUMENT"),
    ("GetReportSchedule", pb.GetReportScheduleRequest(name=NO_SCHEDULE), NOT_FOUND, "REPORT_SCHEDULE_NOT_FOUND"),
    ("DeleteReportSchedule", pb.DeleteReportScheduleRequest(name=NO_SCHEDULE), NOT_FOUND, "REPORT_SCHEDULE_NOT_FOUND"),
    (
        "UpdateReportSchedule",
        pb.UpdateReportScheduleRequest(
            report_schedule=pb.ReportSchedule(name=NO_SCHEDULE, display_name="x"),
            update_mask=FieldMask(paths=["display_name"]),
        ),
        NOT_FOUND,
        "REPORT_SCHEDULE_NOT_FOUND",
    ),
    ("ListReportSchedules", pb.ListReportSchedulesRequest(parent=PARENT, page_size=-1), INVALID, "INVALID_ARGUMENT"),
]  # fmt: skip


@pytest.mark.parametrize(("rpc", "request_", "code", "reason"), GENERATE_CASES)
async def test_a_bad_report_generation_is_refused_with_a_clear_status_and_reason(
    service: tuple[Any, Reputation], rpc: str, request_: Any, code: Any, reason: str
) -> None:
    reports, reputation = service
    await seed(reputation)  # lumiere and france are known: only the bad field is wrong
    await _refused(getattr(reports, rpc)(request_, metadata=reputation.admin(TENANT)), code, reason)


@pytest.mark.parametrize(("rpc", "request_", "code", "reason"), CASES)
async def test_a_bad_report_call_is_refused_with_a_clear_status_and_reason(
    service: tuple[Any, Reputation], rpc: str, request_: Any, code: Any, reason: str
) -> None:
    reports, reputation = service
    await _refused(getattr(reports, rpc)(request_, metadata=reputation.admin(TENANT)), code, reason)


async def test_a_download_of_an_unknown_or_malformed_report_is_refused(
    service: tuple[Any, Reputation],
) -> None:
    reports, reputation = service
    auth = reputation.admin(TENANT)
    unknown = reports.DownloadReport(pb.DownloadReportRequest(name=NO_REPORT), metadata=auth)
    await _refused(unknown.read(), NOT_FOUND, "REPORT_NOT_FOUND")
    malformed = reports.DownloadReport(pb.DownloadReportRequest(name="x"), metadata=auth)
    await _refused(malformed.read(), INVALID, "INVALID_ARGUMENT")
