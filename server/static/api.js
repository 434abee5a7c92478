// REST client for /v1: bearer token, JSON in and out, the contract's error body turned into ApiError.

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export class Api {
  /** @param {() => string} getToken */
  constructor(getToken) {
    this.getToken = getToken;
  }

  async request(method, path, body) {
    const headers = { Authorization: `Bearer ${this.getToken()}` };
    const init = { method, headers };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    let res;
    try {
      res = await fetch(path, init);
    } catch {
      throw new ApiError(0, "network", "The server can't be reached. Check the connection.");
    }
    if (res.status === 204) return null;
    const text = await res.text();
    let data = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      data = null;
    }
    if (!res.ok) {
      const err = data && data.error;
      throw new ApiError(
        res.status,
        (err && err.code) || `http_${res.status}`,
        (err && err.message) || `The server answered ${res.status}.`,
      );
    }
    return data;
  }

  startWorkout(name) {
    return this.request("POST", "/v1/workouts", name ? { name } : {});
  }

  getWorkout(id) {
    return this.request("GET", `/v1/workouts/${encodeURIComponent(id)}`);
  }

  logText(workoutId, text, unit) {
    return this.request("POST", `/v1/workouts/${encodeURIComponent(workoutId)}/utterances`, { text, unit });
  }

  patchSet(id, fields) {
    return this.request("PATCH", `/v1/sets/${encodeURIComponent(id)}`, fields);
  }

  deleteSet(id) {
    return this.request("DELETE", `/v1/sets/${encodeURIComponent(id)}`);
  }

  searchExercises(q) {
    return this.request("GET", `/v1/exercises?${new URLSearchParams({ q })}`);
  }
}
