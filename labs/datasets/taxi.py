"""A small taxi-trip CSV in the shape of the public NYC yellow-cab data, for the EMR lab."""

import csv
import io
import random
from datetime import datetime, timedelta

COLUMNS = ["vendorid", "tpep_pickup_datetime", "tpep_dropoff_datetime", "passenger_count", "trip_distance",
           "payment_type", "fare_amount", "tip_amount", "total_amount"]
TRIPS = 1500

def csv_bytes() -> bytes:
    rng = random.Random(7)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    start = datetime(2024, 1, 1)
    for _ in range(TRIPS):
        pickup = start + timedelta(minutes=rng.randrange(0, 31 * 24 * 60))
        distance = round(rng.uniform(0.3, 18.0), 2)
        dropoff = pickup + timedelta(minutes=max(3, round(distance * rng.uniform(2.5, 5.0))))
        fare = round(3.0 + distance * 2.5, 2)
        payment = rng.choice([1, 1, 1, 2, 2, 3])
        tip = round(fare * rng.choice([0, 0.1, 0.15, 0.2]), 2) if payment == 1 else 0.0
        writer.writerow([rng.choice([1, 2]), f"{pickup:%Y-%m-%d %H:%M:%S}", f"{dropoff:%Y-%m-%d %H:%M:%S}", rng.randint(1, 4),
                         distance, payment, fare, tip, round(fare + tip + 1.0, 2)])
    return buffer.getvalue().encode()
