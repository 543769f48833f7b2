"""The baseline: a bare FastAPI endpoint, served by uvicorn exactly as the services are."""

from fastapi import FastAPI

app = FastAPI()


@app.get("/bare/persons/{person_id}")
def read(person_id: str) -> dict[str, str]:
    return {"id": person_id, "full_name": "Baseline"}
