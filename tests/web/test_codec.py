"""The codec server: the Temporal UI's remote codec protocol over the workflows' real payloads, admin only."""

from __future__ import annotations

import base64
import json

from temporalio.api.enums.v1 import EventType

from tests.web.conftest import World, sign_in, token
from workflows.ids import group_workflow_id


async def started_input(world: World) -> dict[str, object]:
    """The group workflow's start input as the server stores it (encrypted), in protobuf's JSON form."""
    handle = world.harness.client.get_workflow_handle(group_workflow_id(world.cohort, "5001"))
    async for event in handle.fetch_history_events(page_size=1):
        assert event.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED
        [payload] = event.workflow_execution_started_event_attributes.input.payloads
        assert payload.metadata["encoding"] == b"binary/encrypted"
        return {
            "metadata": {k: base64.b64encode(v).decode() for k, v in payload.metadata.items()},
            "data": base64.b64encode(payload.data).decode(),
        }
    raise AssertionError("no history")


async def test_decode_shows_the_admin_the_payload_and_encode_round_trips(world: World) -> None:
    stored = await started_input(world)
    async with world.client() as client:
        headers = await token(client, world, "admin")
        decoded = await client.post("/codec/decode", json={"payloads": [stored]}, headers=headers)
        assert decoded.status_code == 200
        [payload] = decoded.json()["payloads"]
        assert base64.b64decode(payload["metadata"]["encoding"]) == b"json/plain"
        data = json.loads(base64.b64decode(payload["data"]))
        assert data["application_id"] == "5001" and data["plan"]["cohort"] == world.cohort
        encoded = await client.post("/codec/encode", json={"payloads": [payload]}, headers=headers)
        [sealed] = encoded.json()["payloads"]
        assert base64.b64decode(sealed["metadata"]["encoding"]) == b"binary/encrypted"
        assert sealed["data"] != payload["data"]
        again = await client.post("/codec/decode", json={"payloads": [sealed]}, headers=headers)
        assert again.json()["payloads"] == [payload]


async def test_only_the_admin_may_decode(world: World) -> None:
    body = {"payloads": [await started_input(world)]}
    async with world.client() as client:
        assert (await client.post("/codec/decode", json=body)).status_code == 401
        for role in ("teacher", "examiner", "municipality", "participant"):
            answer = await client.post("/codec/decode", json=body, headers=await token(client, world, role))
            assert answer.status_code == 403, role
    async with world.client() as client:  # the Temporal UI sends the session cookie when told to include credentials
        await sign_in(client, world, "admin")
        assert (await client.post("/codec/decode", json=body)).status_code == 200
        form = await client.post("/codec/decode", content=json.dumps(body), headers={"content-type": "text/plain"})
        assert form.status_code == 415


async def test_cors_lets_the_temporal_ui_call_and_no_one_else(world: World) -> None:
    async with world.client() as client:
        asked = {"access-control-request-method": "POST", "access-control-request-headers": "content-type,x-namespace"}
        ui = await client.options("/codec/decode", headers={"origin": "http://127.0.0.1:8233", **asked})
        assert ui.status_code == 200 and ui.headers["access-control-allow-origin"] == "http://127.0.0.1:8233"
        assert ui.headers["access-control-allow-credentials"] == "true"
        other = await client.options("/codec/decode", headers={"origin": "http://evil.example", **asked})
        assert "access-control-allow-origin" not in other.headers


async def test_a_tampered_payload_is_refused_with_a_reason(world: World) -> None:
    stored = await started_input(world)
    data = bytearray(base64.b64decode(str(stored["data"])))
    data[-1] ^= 1
    tampered = stored | {"data": base64.b64encode(bytes(data)).decode()}
    async with world.client() as client:
        answer = await client.post(
            "/codec/decode", json={"payloads": [tampered]}, headers=await token(client, world, "admin")
        )
        assert (
            answer.status_code == 422
            and answer.json()["detail"] == "Kan ikke dekode: innholdet ble endret etter at det ble forseglet"
            and answer.json()["problems"] == [{"code": "web.codec_altered", "params": {}}]
        )
